using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Orleans.GrainDirectory;
using Orleans.Metadata;
using Orleans.Runtime.GrainDirectory;
using OrleansNodes.Hosting.Nodes;

namespace OrleansNodes.Hosting.Placement;

/// <summary>Sends node grains to the grain directory named at construction (<see cref="SiloBuilderExtensions.UseNodeDirectory"/>).</summary>
internal sealed class NodeDirectoryResolver(IServiceProvider services, string directoryName) : IGrainDirectoryResolver
{
    private static readonly GrainType NodeType = GrainType.Create(NodeGrain.GrainTypeName);

    /// <inheritdoc/>
    public bool TryResolveGrainDirectory(GrainType grainType, GrainProperties? properties, [NotNullWhen(true)] out IGrainDirectory? grainDirectory)
    {
        grainDirectory = grainType.Equals(NodeType) ? services.GetRequiredKeyedService<IGrainDirectory>(directoryName) : null;
        return grainDirectory is not null;
    }
}
