using OrleansNodes.Protocols.Paxos;

namespace OrleansNodes.Protocols.Tests.Mutants;

/// <summary>
/// A node that comes back from a restart as if it had never run, as one that kept its state in
/// memory only would: the acceptor forgets its promise and its vote (§2.2's last paragraph is
/// exactly the rule it breaks), and the learner what it learned.
/// </summary>
public sealed class ForgetfulAcceptor : PaxosMutant
{
    /// <inheritdoc/>
    public override string Bug => "an acceptor forgets its promise and vote across a restart";

    /// <inheritdoc/>
    public override string ExpectedViolation => PaxosProperties.AtMostOneValueChosen;

    /// <summary>
    /// Starts over from <c>Init</c>. Forgetting the learned value too matters: a node that still
    /// knew it would answer prepares with <c>Decided</c> and mask the lost vote.
    /// </summary>
    public override PaxosState Recover(NodeConfig<PaxosSettings> config, DurableImage image) =>
        Init(config);
}
