using System.Net;
using Orleans.Runtime;
using OrleansNodes.Core;

namespace OrleansNodes.Hosting.Placement;

/// <summary>
/// Where the nodes of a cluster belong: spread over as many silos as there are, so that losing
/// one silo loses as few replicas as possible. Pure functions of what a silo knows (the silos, and
/// where the cluster's other nodes run), so every silo makes the same choice from the same facts.
/// </summary>
/// <remarks>
/// <para>Each cluster ranks the silos by a rendezvous score of its name and the silo's endpoint
/// (not its generation: a restarted silo keeps its rank), so different clusters favour different
/// silos and leaders do not pile up on one. A node being placed goes to a candidate holding the
/// fewest of its cluster's other nodes; among those, the first in the cluster's ranking counting
/// from the node's index, so the nodes of a new cluster, placed before any knows where the others
/// are, still land on distinct silos.</para>
/// <para>Placement is sticky: a running node moves only when its silo holds at least two more of
/// its cluster's nodes than some other silo (<see cref="NextMove"/>). A joining silo therefore
/// draws only the nodes that were doubled up for lack of silos, and a dying one moves nothing but
/// its own nodes.</para>
/// </remarks>
public static class NodeSpread
{
    /// <summary>
    /// The silo for node <paramref name="node"/> of <paramref name="cluster"/> among
    /// <paramref name="candidates"/>, given the silos the cluster's other nodes run on
    /// (<paramref name="siblings"/>, one entry per node; silos that are not candidates are ignored).
    /// </summary>
    public static SiloAddress Choose(string cluster, NodeId node, IReadOnlyCollection<SiloAddress> candidates, IEnumerable<SiloAddress> siblings)
    {
        if (candidates.Count == 0) throw new OrleansException($"no silo can host node {cluster}/{node.Value}");
        var ranked = Rank(cluster, candidates);
        var load = Load(siblings);
        var fewest = ranked.Min(silo => LoadOf(load, silo));
        var start = node.Value % ranked.Length;
        for (var k = 0; ; k++)
        {
            var silo = ranked[(start + k) % ranked.Length];
            if (LoadOf(load, silo) == fewest) return silo;
        }
    }

    /// <summary>
    /// The one move that would even out <paramref name="cluster"/>, or null when none would: the
    /// highest-numbered node on the most loaded silo, if that silo holds at least two more of the
    /// cluster's nodes than the least loaded of <paramref name="targets"/>, to where
    /// <see cref="Choose"/> puts it. One move at a time: applied and observed, the next call
    /// finds the next one.
    /// </summary>
    /// <param name="cluster">The cluster's name.</param>
    /// <param name="where">The silo every node of the cluster runs on.</param>
    /// <param name="targets">The silos a node may move to (active, answering and settled).</param>
    public static NodeMove? NextMove(string cluster, IReadOnlyDictionary<NodeId, SiloAddress> where, IReadOnlyCollection<SiloAddress> targets)
    {
        if (targets.Count == 0 || where.Count == 0) return null;
        var load = Load(where.Values);
        var fewest = targets.Min(silo => LoadOf(load, silo));
        var ranked = Rank(cluster, load.Keys);
        var busiest = ranked.MaxBy(silo => LoadOf(load, silo))!;
        if (LoadOf(load, busiest) < fewest + 2) return null;
        var mover = where.Where(pair => pair.Value.Equals(busiest)).Max(pair => pair.Key.Value);
        var others = where.Where(pair => pair.Key.Value != mover).Select(pair => pair.Value);
        return new NodeMove(new NodeId(mover), busiest, Choose(cluster, new NodeId(mover), targets, others));
    }

    /// <summary><paramref name="silos"/> in <paramref name="cluster"/>'s own order of preference.</summary>
    public static SiloAddress[] Rank(string cluster, IEnumerable<SiloAddress> silos) =>
        [.. silos.Distinct().OrderByDescending(silo => Score(cluster, silo.Endpoint)).ThenBy(silo => silo.Endpoint.ToString(), StringComparer.Ordinal)];

    private static Dictionary<SiloAddress, int> Load(IEnumerable<SiloAddress> silos)
    {
        var load = new Dictionary<SiloAddress, int>();
        foreach (var silo in silos) load[silo] = load.GetValueOrDefault(silo) + 1;
        return load;
    }

    private static int LoadOf(Dictionary<SiloAddress, int> load, SiloAddress silo) => load.GetValueOrDefault(silo);

    // FNV-1a over the cluster name and the endpoint, finished with SplitMix64's mixer so that
    // endpoints differing in one port digit still score far apart. string.GetHashCode differs
    // between processes; silos must agree.
    private static ulong Score(string cluster, IPEndPoint endpoint)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in cluster) hash = (hash ^ c) * 1099511628211UL;
        hash = (hash ^ '|') * 1099511628211UL;
        foreach (var b in endpoint.Address.GetAddressBytes()) hash = (hash ^ b) * 1099511628211UL;
        hash = (hash ^ (uint)endpoint.Port) * 1099511628211UL;
        hash ^= hash >> 30;
        hash *= 0xBF58476D1CE4E5B9UL;
        hash ^= hash >> 27;
        hash *= 0x94D049BB133111EBUL;
        return hash ^ (hash >> 31);
    }
}

/// <summary>A node to move from one silo to another (<see cref="NodeSpread.NextMove"/>).</summary>
public sealed record NodeMove(NodeId Node, SiloAddress From, SiloAddress To);
