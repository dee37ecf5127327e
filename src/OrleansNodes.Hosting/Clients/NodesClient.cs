using System.Collections.Concurrent;
using System.Collections.Immutable;
using OrleansNodes.Hosting.Clusters;
using OrleansNodes.Hosting.Nodes;

namespace OrleansNodes.Hosting.Clients;

/// <summary>
/// What a console or a test uses to talk to a running system: create, list and inspect
/// clusters, and open client sessions. Works with any <see cref="IGrainFactory"/>, so from an
/// external <c>IClusterClient</c> as well as inside a silo. Reads go to the silo the caller
/// reaches (<see cref="IClusterCatalogGrain"/>) and to the nodes themselves, never through the
/// one registry grain, so they keep working while the registry's silo is down.
/// </summary>
public sealed class NodesClient(IGrainFactory grains)
{
    /// <summary>How long <see cref="StatusAsync"/> waits for a node before reporting it as not answering.</summary>
    public static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, GatewayLanes> _lanes = new(StringComparer.Ordinal);

    private IClusterRegistryGrain Registry => grains.GetGrain<IClusterRegistryGrain>(IClusterRegistryGrain.Key);

    private IClusterCatalogGrain Catalog => grains.GetGrain<IClusterCatalogGrain>(0);

    /// <summary>Creates a cluster and starts its nodes (idempotent for the same spec).</summary>
    public Task<ClusterInfo> CreateClusterAsync(ClusterSpec spec) => Registry.Create(spec);

    /// <summary>The cluster called <paramref name="name"/>, or null.</summary>
    public Task<ClusterInfo?> FindClusterAsync(string name) => Catalog.Find(name);

    /// <summary>Every cluster.</summary>
    public Task<ImmutableArray<ClusterInfo>> ListClustersAsync() => Catalog.List();

    /// <summary>
    /// Every node's status, asked of each node at once; a node that does not answer within
    /// <paramref name="timeout"/> (default <see cref="StatusTimeout"/>) or fails is reported as
    /// not answering (<see cref="NodeStatus.Answered"/> false) rather than failing the whole call.
    /// </summary>
    /// <exception cref="ArgumentException">There is no cluster called <paramref name="cluster"/>.</exception>
    public async Task<ClusterStatus> StatusAsync(string cluster, TimeSpan? timeout = null)
    {
        var definition = await FindClusterAsync(cluster) ?? throw new ArgumentException($"no cluster named '{cluster}'", nameof(cluster));
        var bound = timeout ?? StatusTimeout;
        var nodes = await Task.WhenAll(definition.Members.Select(async node =>
        {
            try
            {
                return await grains.GetGrain<INodeGrain>(definition.NodeKey(node)).GetStatus().WaitAsync(bound);
            }
            catch (TimeoutException)
            {
                return NodeStatus.NotAnswering(definition.Name, node, $"no answer within {bound.TotalSeconds:0.#} s");
            }
            catch (Exception exception) when (exception is OrleansException or Storage.NodeStoreException)
            {
                return NodeStatus.NotAnswering(definition.Name, node, FirstLine(exception.Message));
            }
        }));
        return new ClusterStatus(definition, [.. nodes]);
    }

    /// <summary>
    /// A new client session on <paramref name="cluster"/> with a fresh random client id, so
    /// sessions of different processes do not collide in the protocol's deduplication table.
    /// Each submission keeps trying for <paramref name="timeout"/> (default 10 s), in attempts of
    /// at most <paramref name="attemptTimeout"/> (default <see cref="ClusterSession.DefaultAttemptTimeout"/>).
    /// </summary>
    /// <remarks>Sessions of one <see cref="NodesClient"/> on one cluster share what they learn of which gateway each lane reaches (<see cref="GatewayLanes"/>).</remarks>
    public ClusterSession OpenSession(string cluster, TimeSpan? timeout = null, TimeSpan? attemptTimeout = null) =>
        new(grains, cluster, _lanes.GetOrAdd(cluster, static _ => new GatewayLanes(ClusterSession.Lanes)), new Core.ClientId(Random.Shared.NextInt64(1, long.MaxValue)),
            timeout ?? TimeSpan.FromSeconds(10), attemptTimeout ?? ClusterSession.DefaultAttemptTimeout);

    private static string FirstLine(string text) => text.AsSpan().TrimStart().IndexOfAny('\r', '\n') is var end and >= 0 ? text.TrimStart()[..end] : text.Trim();
}
