using OrleansNodes.Protocols.Paxos;

namespace OrleansNodes.Protocols.Tests.Mutants;

/// <summary>
/// An acceptor that forgets its promise and its vote when it restarts, as if it had kept them
/// in memory only (§2.2's last paragraph is exactly the rule it breaks).
/// </summary>
public sealed class ForgetfulAcceptor : PaxosMutant
{
    /// <inheritdoc/>
    public override string Bug => "an acceptor forgets its promise and vote across a restart";

    /// <inheritdoc/>
    public override string ExpectedViolation => PaxosProperties.AtMostOneValueChosen;

    /// <inheritdoc/>
    public override PaxosState Recover(NodeConfig<PaxosSettings> config, PaxosState persisted) =>
        base.Recover(config, persisted) with { Promised = Ballot.Zero, Accepted = null };
}
