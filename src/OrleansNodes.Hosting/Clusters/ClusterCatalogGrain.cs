using System.Collections.Immutable;
using Orleans.Concurrency;

namespace OrleansNodes.Hosting.Clusters;

/// <summary>See <see cref="IClusterCatalogGrain"/>.</summary>
[StatelessWorker, Reentrant]
public sealed class ClusterCatalogGrain(ClusterCatalog catalog) : Grain, IClusterCatalogGrain
{
    /// <inheritdoc/>
    public Task<ClusterDefinition?> Find(string name) => catalog.FindAsync(name);

    /// <inheritdoc/>
    public Task<ImmutableArray<ClusterDefinition>> List() => catalog.ListAsync();
}
