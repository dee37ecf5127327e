namespace OrleansNodes.Protocols.Paxos;

/// <summary>
/// A proposal number (Paxos Made Simple §2.2: "different proposals have different numbers").
/// Ballots are <c>(Round, Proposer)</c> pairs ordered lexicographically, so two proposers can
/// never issue the same ballot, and any proposer can out-number any ballot it has heard of by
/// taking the next round.
/// </summary>
[GenerateSerializer, Immutable, Alias("on.paxos.Ballot")]
public readonly record struct Ballot([property: Id(0)] int Round, [property: Id(1)] NodeId Proposer) : IComparable<Ballot>
{
    /// <summary>Lower than every ballot a proposer issues (those start at round 1): "nothing promised yet".</summary>
    public static readonly Ballot Zero = new(0, new NodeId(0));

    /// <summary>True for <see cref="Zero"/>.</summary>
    public bool IsZero => Round == 0;

    /// <summary>Round first, proposer id to break ties.</summary>
    public int CompareTo(Ballot other) =>
        Round != other.Round ? Round.CompareTo(other.Round) : Proposer.CompareTo(other.Proposer);

    /// <summary>The larger of two ballots.</summary>
    public static Ballot Max(Ballot a, Ballot b) => a >= b ? a : b;

    /// <summary>Compares ballots.</summary>
    public static bool operator <(Ballot left, Ballot right) => left.CompareTo(right) < 0;

    /// <summary>Compares ballots.</summary>
    public static bool operator >(Ballot left, Ballot right) => left.CompareTo(right) > 0;

    /// <summary>Compares ballots.</summary>
    public static bool operator <=(Ballot left, Ballot right) => left.CompareTo(right) <= 0;

    /// <summary>Compares ballots.</summary>
    public static bool operator >=(Ballot left, Ballot right) => left.CompareTo(right) >= 0;

    /// <summary>Prints as <c>3.n1</c> (round 3 of node n1), or <c>0</c> for <see cref="Zero"/>.</summary>
    public override string ToString() => IsZero ? "0" : $"{Round}.{Proposer}";
}
