using System.Collections.Immutable;
using Orleans.Concurrency;

namespace OrleansNodes.Hosting.Clusters;

/// <summary>See <see cref="IClusterCatalogGrain"/>.</summary>
[StatelessWorker, Reentrant]
public sealed class ClusterCatalogGrain(ClusterCatalog catalog) : Grain, IClusterCatalogGrain
{
    /// <inheritdoc/>
    public async Task<ClusterInfo?> Find(string name) => await catalog.FindAsync(name) is { } definition ? ClusterInfo.Of(definition) : null;

    /// <inheritdoc/>
    public async Task<ImmutableArray<ClusterInfo>> List() => [.. (await catalog.ListAsync()).Select(ClusterInfo.Of)];
}
