using OrleansNodes.Protocols.Paxos;

namespace OrleansNodes.Protocols.Tests.Mutants;

/// <summary>
/// An acceptor that writes its promise only together with a vote: a promise made by a batch
/// that accepted nothing leaves with the flush while the durable promise stays behind. A crash
/// after that flush (at a node-loop boundary) brings back an acceptor that accepts the older
/// ballot it promised to refuse (§2.2: "an acceptor must remember this information even if it
/// fails and then restarts"). Its recovery is self-consistent, so the recovery check passes it.
/// </summary>
public sealed class PromiseNotWritten : PaxosMutant
{
    /// <inheritdoc/>
    public override string Bug => "an acceptor's promise is written only with a vote";

    /// <inheritdoc/>
    public override string ExpectedViolation => PaxosProperties.AtMostOneValueChosen;

    /// <inheritdoc/>
    public override object? HardState(PaxosState state) =>
        PaxosHardState.Of(state) with { Promised = state.Accepted?.Ballot ?? Ballot.Zero };
}
