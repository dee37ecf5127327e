namespace OrleansNodes.Protocols.KeyValue;

/// <summary>A leader's proposal for one slot, waiting for a majority of <see cref="Accepted"/>.</summary>
/// <param name="Value">The batch proposed.</param>
/// <param name="Votes">Bit i set: node i accepted it.</param>
[GenerateSerializer, Immutable, Alias("on.kv.Proposal")]
public sealed record Proposal([property: Id(0)] KeyValueBatch Value, [property: Id(1)] ulong Votes)
{
    /// <summary>Number of acceptors that accepted.</summary>
    public int VoteCount => System.Numerics.BitOperations.PopCount(Votes);

    /// <summary>True when <paramref name="node"/> accepted.</summary>
    public bool HasVoteFrom(NodeId node) => (Votes & (1UL << node.Value)) != 0;

    /// <summary>Records <paramref name="node"/>'s vote.</summary>
    public Proposal WithVote(NodeId node) => HasVoteFrom(node) ? this : this with { Votes = Votes | (1UL << node.Value) };
}
