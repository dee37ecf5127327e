using OrleansNodes.Protocols.Paxos;
using PaxosContext = OrleansNodes.Core.StepContext<OrleansNodes.Protocols.Paxos.PaxosSettings, OrleansNodes.Protocols.Paxos.PaxosMessage, OrleansNodes.Protocols.Paxos.PaxosReply>;
using PaxosInput = OrleansNodes.Core.Input<OrleansNodes.Protocols.Paxos.PaxosMessage, OrleansNodes.Protocols.Paxos.PaxosCommand>;

namespace OrleansNodes.Protocols.Tests.Mutants;

/// <summary>
/// A proposer that counts promises instead of promisers: a duplicated promise counts twice, so
/// one acceptor's promise (and its silence about a vote) can pass for a majority's, and P2c no
/// longer sees the value another majority chose. Only a network that duplicates shows it.
/// </summary>
public sealed class ProposerCountsDuplicatePromises : PaxosMutant
{
    /// <inheritdoc/>
    public override string Bug => "a proposer counts a duplicated promise twice";

    /// <inheritdoc/>
    public override string ExpectedViolation => PaxosProperties.AtMostOneValueChosen;

    /// <summary>A repeated promise is booked under a member that has not promised: the count grows, the votes heard do not change.</summary>
    public override PaxosState Step(PaxosContext context, PaxosState state, PaxosInput input)
    {
        if (input is PaxosInput.Receive { Message: PaxosMessage.Promise promise } receive &&
            state.Phase == ProposerPhase.Preparing && promise.Ballot == state.Ballot && state.Promisers.Contains(receive.From) &&
            context.Members.FirstOrDefault(m => !state.Promisers.Contains(m), new NodeId(-1)) is { Value: >= 0 } uncounted)
            return base.Step(context, state, receive with { From = uncounted });
        return base.Step(context, state, input);
    }
}
