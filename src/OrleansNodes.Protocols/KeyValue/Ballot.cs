namespace OrleansNodes.Protocols.KeyValue;

/// <summary>
/// A Paxos ballot: a round number made unique by the node that owns it, so two candidates can
/// never run the same ballot ("Paxos Made Moderately Complex" §3, ballot numbers as
/// lexicographically ordered pairs). Round 0 is nobody's ballot: every campaign starts at round 1.
/// </summary>
[GenerateSerializer, Immutable, Alias("on.kv.Ballot")]
public readonly record struct Ballot([property: Id(0)] long Round, [property: Id(1)] NodeId Node) : IComparable<Ballot>
{
    /// <summary>The ballot below every real ballot.</summary>
    public static readonly Ballot Zero = default;

    /// <summary>Orders by round, then by node.</summary>
    public int CompareTo(Ballot other) =>
        Round != other.Round ? Round.CompareTo(other.Round) : Node.CompareTo(other.Node);

    /// <summary>True when <paramref name="left"/> is older than <paramref name="right"/>.</summary>
    public static bool operator <(Ballot left, Ballot right) => left.CompareTo(right) < 0;

    /// <summary>True when <paramref name="left"/> is newer than <paramref name="right"/>.</summary>
    public static bool operator >(Ballot left, Ballot right) => left.CompareTo(right) > 0;

    /// <summary>True when <paramref name="left"/> is not newer than <paramref name="right"/>.</summary>
    public static bool operator <=(Ballot left, Ballot right) => left.CompareTo(right) <= 0;

    /// <summary>True when <paramref name="left"/> is not older than <paramref name="right"/>.</summary>
    public static bool operator >=(Ballot left, Ballot right) => left.CompareTo(right) >= 0;

    /// <summary>The newer of two ballots.</summary>
    public static Ballot Max(Ballot left, Ballot right) => left >= right ? left : right;

    /// <summary>Prints as <c>3.n1</c>.</summary>
    public override string ToString() => $"{Round}.{Node}";
}
