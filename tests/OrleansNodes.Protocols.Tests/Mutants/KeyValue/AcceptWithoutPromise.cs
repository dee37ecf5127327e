using OrleansNodes.Protocols.KeyValue;
using KeyValueContext = OrleansNodes.Core.StepContext<OrleansNodes.Protocols.KeyValue.KeyValueSettings, OrleansNodes.Protocols.KeyValue.KeyValueMessage, OrleansNodes.Protocols.KeyValue.KeyValueReply>;
using KeyValueInput = OrleansNodes.Core.Input<OrleansNodes.Protocols.KeyValue.KeyValueMessage, OrleansNodes.Protocols.KeyValue.KeyValueCommand>;

namespace OrleansNodes.Protocols.Tests.Mutants.KeyValue;

/// <summary>
/// A replica raises its promise on <c>Prepare</c> only: accepting a newer leader's value (whose
/// prepare it missed) leaves the promise behind, so it still promises ballots between the two
/// and reports a vote from a ballot above the one it promised.
/// </summary>
public sealed class AcceptWithoutPromise : KeyValueMutant
{
    /// <inheritdoc/>
    public override string Bug => "an accept of a newer ballot does not raise the promise";

    /// <inheritdoc/>
    public override string ExpectedViolation => KeyValueProperties.PromiseKept.Name;

    /// <inheritdoc/>
    public override KeyValueState Step(KeyValueContext context, KeyValueState state, KeyValueInput input)
    {
        var next = base.Step(context, state, input);
        return input is KeyValueInput.Receive { Message: Accept accept } && accept.Ballot > state.Promised && next.Promised == accept.Ballot
            ? next with { Promised = state.Promised }
            : next;
    }
}
