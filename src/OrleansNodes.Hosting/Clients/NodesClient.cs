using System.Collections.Immutable;
using OrleansNodes.Hosting.Clusters;

namespace OrleansNodes.Hosting.Clients;

/// <summary>
/// What a console or a test uses to talk to a running system: create, list and inspect
/// clusters, and open client sessions. Works with any <see cref="IGrainFactory"/>, so from an
/// external <c>IClusterClient</c> as well as inside a silo.
/// </summary>
public sealed class NodesClient(IGrainFactory grains)
{
    private IClusterRegistryGrain Registry => grains.GetGrain<IClusterRegistryGrain>(IClusterRegistryGrain.Key);

    /// <summary>Creates a cluster and starts its nodes (idempotent for the same spec).</summary>
    public Task<ClusterDefinition> CreateClusterAsync(ClusterSpec spec) => Registry.Create(spec);

    /// <summary>The cluster called <paramref name="name"/>, or null.</summary>
    public Task<ClusterDefinition?> FindClusterAsync(string name) => Registry.Find(name);

    /// <summary>Every cluster.</summary>
    public Task<ImmutableArray<ClusterDefinition>> ListClustersAsync() => Registry.List();

    /// <summary>Every node's status.</summary>
    public Task<ClusterStatus> StatusAsync(string cluster) => Registry.Status(cluster);

    /// <summary>
    /// A new client session on <paramref name="cluster"/> with a fresh random client id, so
    /// sessions of different processes do not collide in the protocol's deduplication table.
    /// </summary>
    public ClusterSession OpenSession(string cluster, TimeSpan? timeout = null) =>
        new(grains.GetGrain<IClusterGatewayGrain>(cluster), new Core.ClientId(Random.Shared.NextInt64(1, long.MaxValue)), timeout ?? TimeSpan.FromSeconds(10));
}
