namespace OrleansNodes.Protocols.Paxos;

/// <summary>
/// What a Paxos node must remember across a crash ("Paxos Made Simple" §2.2, last paragraph: an
/// acceptor "must remember this information even if it fails and then restarts"): the acceptor's
/// promise and vote, the proposer's last ballot and value, and what the learner heard and learned.
/// The host writes it after a batch only when it changed; the proposer's phase, its retry timer
/// and the waiting clients are volatile, so ticks write nothing.
/// </summary>
/// <param name="Promised">The acceptor's promise.</param>
/// <param name="Accepted">The acceptor's vote.</param>
/// <param name="Heard">The learner's highest vote per acceptor.</param>
/// <param name="Learned">The chosen value, once learned.</param>
/// <param name="Proposal">The proposer's value.</param>
/// <param name="Ballot">The proposer's last ballot: durable so that a restarted proposer never issues it again, possibly with another value.</param>
/// <param name="HighestSeen">The highest ballot a refusal reported.</param>
[GenerateSerializer, Immutable, Alias("on.paxos.HardState")]
public sealed record PaxosHardState(
    [property: Id(0)] Ballot Promised,
    [property: Id(1)] Vote? Accepted,
    [property: Id(2)] ImmutableArray<Vote?> Heard,
    [property: Id(3)] string? Learned,
    [property: Id(4)] string? Proposal,
    [property: Id(5)] Ballot Ballot,
    [property: Id(6)] Ballot HighestSeen)
{
    /// <summary>The durable part of <paramref name="state"/>.</summary>
    public static PaxosHardState Of(PaxosState state) =>
        new(state.Promised, state.Accepted, state.Heard, state.Learned, state.Proposal, state.Ballot, state.HighestSeen);

    /// <inheritdoc/>
    public bool Equals(PaxosHardState? other) =>
        other is not null && Promised == other.Promised && Accepted == other.Accepted && Learned == other.Learned &&
        Proposal == other.Proposal && Ballot == other.Ballot && HighestSeen == other.HighestSeen &&
        Heard.AsSpan().SequenceEqual(other.Heard.AsSpan());

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Promised, Accepted, Learned, Ballot);
}
