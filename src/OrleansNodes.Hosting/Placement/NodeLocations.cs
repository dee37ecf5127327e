using System.Collections.Concurrent;
using Orleans.Runtime;
using OrleansNodes.Core;

namespace OrleansNodes.Hosting.Placement;

/// <summary>
/// What this silo knows of where nodes run: the nodes active here (each activation says so when
/// it starts and stops), and the last known silo of every node of the clusters that have a node
/// here (refreshed by <see cref="PlacementKeeper"/> from the nodes' own status). The placement
/// director reads it to put a node apart from its cluster's other nodes.
/// </summary>
public sealed class NodeLocations
{
    private readonly ConcurrentDictionary<string, byte> _local = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<NodeId, SiloAddress>> _known = new(StringComparer.Ordinal);

    /// <summary>The keys of the node activations on this silo.</summary>
    public IReadOnlyCollection<string> Local => [.. _local.Keys];

    /// <summary>An activation of node <paramref name="key"/> runs on this silo at <paramref name="silo"/>.</summary>
    public void Activated(string key, string cluster, NodeId node, SiloAddress silo)
    {
        _local[key] = 0;
        Record(cluster, node, silo);
    }

    /// <summary>The activation of node <paramref name="key"/> on this silo has stopped.</summary>
    public void Deactivated(string key) => _local.TryRemove(key, out _);

    /// <summary>Node <paramref name="node"/> of <paramref name="cluster"/> was seen running on <paramref name="silo"/>.</summary>
    public void Record(string cluster, NodeId node, SiloAddress silo) =>
        _known.GetOrAdd(cluster, _ => new ConcurrentDictionary<NodeId, SiloAddress>())[node] = silo;

    /// <summary>The silos the nodes of <paramref name="cluster"/> other than <paramref name="except"/> were last seen on.</summary>
    public IReadOnlyList<SiloAddress> SiblingsOf(string cluster, NodeId except) =>
        _known.TryGetValue(cluster, out var nodes) ? [.. nodes.Where(pair => pair.Key != except).Select(pair => pair.Value)] : [];
}
