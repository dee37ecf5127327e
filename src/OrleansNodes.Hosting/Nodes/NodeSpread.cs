using Orleans.Runtime;
using OrleansNodes.Hosting.Clusters;

namespace OrleansNodes.Hosting.Nodes;

/// <summary>
/// Where each node of a cluster belongs: node <c>i</c> of cluster <c>c</c> on silo
/// <c>(hash(c) + i) mod n</c> of the <c>n</c> active silos in address order. Every silo computes
/// the same answer from the same membership, consecutive nodes land on different silos while
/// there are enough of them, and different clusters start at different silos so that leaders
/// do not pile up on the first one.
/// </summary>
/// <remarks>
/// This is not a placement director on purpose. A node is first activated by Orleans' default
/// placement, which picks a live silo (usually the caller's). A director that insisted on the
/// spread would, right after a silo dies and before membership declares it dead, place nodes
/// on that dead silo and strand them. Instead a node moves to its place later, by migration,
/// once membership has settled (<see cref="NodeGrain"/>).
/// </remarks>
public static class NodeSpread
{
    /// <summary>The silo for the node with grain key <paramref name="key"/> among <paramref name="silos"/>.</summary>
    public static SiloAddress Choose(string key, IReadOnlyCollection<SiloAddress> silos)
    {
        if (silos.Count == 0) throw new OrleansException($"no silo can host node {key}");
        var ordered = silos.Order().ToArray();
        if (!NodeKey.TryParse(key, out var cluster, out var node)) return ordered[(int)(Fnv1a(key) % (uint)ordered.Length)];
        return ordered[(int)((Fnv1a(cluster) + (uint)node.Value) % (uint)ordered.Length)];
    }

    // string.GetHashCode differs between processes; silos must agree.
    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 16777619u;
        }
        return hash;
    }
}
