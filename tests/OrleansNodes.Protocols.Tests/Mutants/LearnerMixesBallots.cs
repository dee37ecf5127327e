using OrleansNodes.Protocols.Paxos;
using PaxosInput = OrleansNodes.Core.Input<OrleansNodes.Protocols.Paxos.PaxosMessage, OrleansNodes.Protocols.Paxos.PaxosCommand>;

namespace OrleansNodes.Protocols.Tests.Mutants;

/// <summary>
/// A learner that counts <c>Accepted</c> messages from different ballots together: it erases
/// the ballot, so any majority of acceptors that accepted anything looks like a decision.
/// </summary>
public sealed class LearnerMixesBallots : PaxosMutant
{
    /// <inheritdoc/>
    public override string Bug => "a learner counts Accepted messages from different ballots together";

    /// <inheritdoc/>
    public override string ExpectedViolation => PaxosProperties.LearnersLearnOnlyTheChosenValue;

    /// <inheritdoc/>
    protected override PaxosInput Rewrite(PaxosInput input) =>
        input is PaxosInput.Receive { Message: PaxosMessage.Accepted accepted } receive
            ? receive with { Message = accepted with { Ballot = Ballot.Zero } }
            : input;
}
