using Orleans.Runtime;
using Orleans.Runtime.Placement;
using OrleansNodes.Hosting.Clusters;

namespace OrleansNodes.Hosting.Nodes;

/// <summary>
/// Puts node <c>i</c> of cluster <c>c</c> on silo <c>(hash(c) + i) mod n</c> of the <c>n</c>
/// compatible silos in address order. Every silo computes the same answer from the same
/// membership, consecutive nodes land on different silos while there are enough of them, and
/// different clusters start at different silos so that leaders do not pile up on the first one.
/// Orleans' default placement would put a whole cluster on the silo that first woke it.
/// </summary>
public sealed class SpreadPlacementDirector : IPlacementDirector
{
    /// <inheritdoc/>
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target);
        if (IPlacementDirector.GetPlacementHint(target.RequestContextData, silos) is { } hint) return Task.FromResult(hint);
        return Task.FromResult(Choose(target.GrainIdentity.Key.ToString(), silos));
    }

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
