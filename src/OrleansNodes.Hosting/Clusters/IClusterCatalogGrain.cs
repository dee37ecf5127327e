using System.Collections.Immutable;
using Orleans.Concurrency;

namespace OrleansNodes.Hosting.Clusters;

/// <summary>
/// The cluster definitions as seen from the silo a caller reaches (a stateless worker on every
/// silo, reading <see cref="ClusterCatalog"/>): how clients find and list clusters without
/// depending on the silo the registry grain lives on.
/// </summary>
[Alias("on.hosting.IClusterCatalogGrain")]
public interface IClusterCatalogGrain : IGrainWithIntegerKey
{
    /// <summary>The cluster called <paramref name="name"/>, or null.</summary>
    [Alias("Find")]
    Task<ClusterInfo?> Find(string name);

    /// <summary>Every cluster, by name.</summary>
    [Alias("List")]
    Task<ImmutableArray<ClusterInfo>> List();
}
