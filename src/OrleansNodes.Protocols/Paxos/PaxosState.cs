namespace OrleansNodes.Protocols.Paxos;

/// <summary>
/// One node's whole state: it is acceptor, proposer and learner at once. Its durable part,
/// <see cref="PaxosHardState"/>, is written after a batch of steps and before any of the batch's
/// messages leave, which is what makes the acceptor's promise and vote durable (Paxos Made Simple
/// §2.2: an acceptor "must remember this information even if it fails and then restarts"); the
/// proposer's progress and the waiting clients are volatile.
/// </summary>
/// <param name="Promised">Acceptor, durable: the highest ballot promised; never decreases.</param>
/// <param name="Accepted">Acceptor, durable: the highest-numbered proposal accepted, if any.</param>
/// <param name="Heard">Learner: the highest vote each acceptor (by node index) reported in an <c>Accepted</c>.</param>
/// <param name="Learned">Learner: the chosen value, once known.</param>
/// <param name="Proposal">Proposer: the value this node wants chosen (from the settings or a client), or null.</param>
/// <param name="Ballot">
/// Proposer, durable: the last ballot this node started. Kept across restarts so a recovered
/// proposer never issues the same ballot twice, possibly with another value.
/// </param>
/// <param name="Phase">Proposer: where the current ballot is.</param>
/// <param name="Promisers">Proposer: the acceptors that promised <see cref="Ballot"/>.</param>
/// <param name="HighestPromisedVote">Proposer: the highest vote reported in those promises; its value must be proposed (P2c).</param>
/// <param name="HighestSeen">Proposer: the highest ballot reported in nacks, which the next ballot must exceed.</param>
/// <param name="Retry">Proposer: ticks until it gives up on the current ballot and starts a higher one.</param>
/// <param name="Random">The node's generator for randomized retry timeouts, seeded from its config.</param>
/// <param name="Waiting">Clients waiting for the decision.</param>
[GenerateSerializer, Immutable, Alias("on.paxos.State")]
public sealed record PaxosState(
    [property: Id(0)] Ballot Promised,
    [property: Id(1)] Vote? Accepted,
    [property: Id(2)] ImmutableArray<Vote?> Heard,
    [property: Id(3)] string? Learned,
    [property: Id(4)] string? Proposal,
    [property: Id(5)] Ballot Ballot,
    [property: Id(6)] ProposerPhase Phase,
    [property: Id(7)] ImmutableSortedSet<NodeId> Promisers,
    [property: Id(8)] Vote? HighestPromisedVote,
    [property: Id(9)] Ballot HighestSeen,
    [property: Id(10)] TickTimer Retry,
    [property: Id(11)] SeededRandom Random,
    [property: Id(12)] ImmutableArray<WaitingClient> Waiting)
{
    /// <summary>True while this node has a value to get chosen and does not yet know the outcome.</summary>
    public bool IsProposing => Proposal is not null && Learned is null;
}
