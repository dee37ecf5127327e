using OrleansNodes.Protocols.Paxos;
using PaxosContext = OrleansNodes.Core.StepContext<OrleansNodes.Protocols.Paxos.PaxosSettings, OrleansNodes.Protocols.Paxos.PaxosMessage, OrleansNodes.Protocols.Paxos.PaxosReply>;
using PaxosInput = OrleansNodes.Core.Input<OrleansNodes.Protocols.Paxos.PaxosMessage, OrleansNodes.Protocols.Paxos.PaxosCommand>;

namespace OrleansNodes.Protocols.Tests.Mutants;

/// <summary>
/// A quorum of <c>(n + 1) / 2</c> instead of <c>n / 2 + 1</c>, for promises and for votes: the
/// same number in every odd-sized cluster, half the cluster in an even-sized one, where two
/// disjoint halves can each choose a value. A suite of three-node runs cannot see it at all.
/// </summary>
/// <remarks>
/// The real protocol counts with <c>NodeConfig.Majority</c>; the mutant gives it the one missing
/// promise or vote from a member that did not send one, as soon as the rounded-down quorum has
/// answered (a missing promise reports no vote, exactly what the buggy count would act on).
/// </remarks>
public sealed class MajorityRoundsHalfUp : PaxosMutant
{
    /// <inheritdoc/>
    public override string Bug => "the quorum is (n + 1) / 2, half of an even-sized cluster";

    /// <inheritdoc/>
    public override string ExpectedViolation => PaxosProperties.LearnersLearnOnlyTheChosenValue;

    /// <inheritdoc/>
    public override PaxosState Step(PaxosContext context, PaxosState state, PaxosInput input)
    {
        var next = base.Step(context, state, input);
        var sloppy = (context.Members.Length + 1) / 2;
        if (sloppy >= context.Majority || input is not PaxosInput.Receive receive) return next;
        if (receive.Message is PaxosMessage.Promise && next.Phase == ProposerPhase.Preparing && next.Promisers.Count >= sloppy &&
            context.Members.FirstOrDefault(m => !next.Promisers.Contains(m), new NodeId(-1)) is { Value: >= 0 } silent)
            return base.Step(context, next, new PaxosInput.Receive(silent, new PaxosMessage.Promise(next.Ballot, null)));
        if (receive.Message is PaxosMessage.Accepted accepted && next.Learned is null &&
            next.Heard.Count(v => v is { } vote && vote.Ballot == accepted.Ballot) >= sloppy &&
            context.Members.FirstOrDefault(m => next.Heard[m.Value] is not { } vote || vote.Ballot < accepted.Ballot, new NodeId(-1)) is { Value: >= 0 } absent)
            return base.Step(context, next, new PaxosInput.Receive(absent, accepted));
        return next;
    }
}
