using System.Collections.Immutable;

namespace OrleansNodes.Core;

/// <summary>
/// The configuration a node is started with and never changes: who it is, who its peers are,
/// the protocol's own settings, and the seed its randomized timeouts derive from.
/// </summary>
/// <typeparam name="TSettings">The protocol's settings (timeouts in ticks, batch sizes, ...).</typeparam>
[GenerateSerializer, Immutable, Alias("on.NodeConfig`1")]
public sealed record NodeConfig<TSettings>(
    [property: Id(0)] NodeId Self,
    [property: Id(1)] ImmutableArray<NodeId> Members,
    [property: Id(2)] TSettings Settings,
    [property: Id(3)] ulong Seed)
{
    /// <summary>The number of nodes that make a majority of <see cref="Members"/>.</summary>
    public int Majority => Members.Length / 2 + 1;

    /// <summary>Every member but <see cref="Self"/>.</summary>
    public IEnumerable<NodeId> Peers => Members.Where(m => m != Self);

    /// <summary>
    /// The configuration of every node of an <paramref name="count"/>-node cluster. Each node
    /// gets its own seed derived from <paramref name="seed"/>, so nodes do not time out in
    /// lockstep.
    /// </summary>
    public static ImmutableArray<NodeConfig<TSettings>> Cluster(int count, TSettings settings, ulong seed)
    {
        var members = NodeId.Range(count);
        return [.. members.Select(id => new NodeConfig<TSettings>(id, members, settings, SeededRandom.Mix(seed, (ulong)id.Value)))];
    }
}
