using System.Collections.Immutable;
using Orleans.Concurrency;

namespace OrleansNodes.Hosting.Clusters;

/// <summary>
/// The durable list of clusters (one grain per silo cluster, key 0), and its one writer. Creating
/// a cluster records it, then starts each node, which persists its own copy of the definition;
/// nodes never call the registry, so the registry may await nodes without risk of a cycle. Reads
/// on the serving path go through <see cref="ClusterCatalog"/> instead, which reads the same
/// storage without waiting on this one grain's silo.
/// </summary>
[Alias("on.hosting.IClusterRegistryGrain")]
public interface IClusterRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>The one registry's key.</summary>
    public const long Key = 0;

    /// <summary>Creates (or, for an identical spec, re-confirms) a cluster and starts its nodes.</summary>
    [Alias("Create")]
    Task<ClusterInfo> Create(ClusterSpec spec);

    /// <summary>The cluster called <paramref name="name"/>, or null.</summary>
    [AlwaysInterleave, Alias("Find")]
    Task<ClusterDefinition?> Find(string name);

    /// <summary>Every cluster, by name.</summary>
    [AlwaysInterleave, Alias("List")]
    Task<ImmutableArray<ClusterDefinition>> List();
}
