namespace OrleansNodes.Protocols.Paxos;

/// <summary>
/// An accepted proposal: the acceptor accepted <see cref="Value"/> in <see cref="Ballot"/>.
/// Acceptors report their highest vote in promises so a new proposer can respect it (P2c).
/// </summary>
[GenerateSerializer, Immutable, Alias("on.paxos.Vote")]
public readonly record struct Vote([property: Id(0)] Ballot Ballot, [property: Id(1)] string Value)
{
    /// <summary>The higher of two optional votes (by ballot); null when both are null.</summary>
    public static Vote? Highest(Vote? a, Vote? b) =>
        a is not { } x ? b : b is not { } y ? a : x.Ballot >= y.Ballot ? x : y;

    /// <summary>Prints as <c>v1@3.n1</c>.</summary>
    public override string ToString() => $"{Value}@{Ballot}";
}
