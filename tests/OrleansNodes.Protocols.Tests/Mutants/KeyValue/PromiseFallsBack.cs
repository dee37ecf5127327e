using OrleansNodes.Protocols.KeyValue;
using KeyValueContext = OrleansNodes.Core.StepContext<OrleansNodes.Protocols.KeyValue.KeyValueSettings, OrleansNodes.Protocols.KeyValue.KeyValueMessage, OrleansNodes.Protocols.KeyValue.KeyValueReply>;
using KeyValueInput = OrleansNodes.Core.Input<OrleansNodes.Protocols.KeyValue.KeyValueMessage, OrleansNodes.Protocols.KeyValue.KeyValueCommand>;

namespace OrleansNodes.Protocols.Tests.Mutants.KeyValue;

/// <summary>
/// A replica assigns its promise instead of raising it: a delayed <c>Prepare</c> of an older
/// ballot lowers the promise and is answered, so two candidates can both gather a majority and
/// two leaders lead at once. Before <see cref="KeyValueProperties.PromiseKept"/>, nothing named it.
/// </summary>
public sealed class PromiseFallsBack : KeyValueMutant
{
    /// <inheritdoc/>
    public override string Bug => "a stale prepare lowers a replica's promise";

    /// <inheritdoc/>
    public override string ExpectedViolation => KeyValueProperties.PromiseKept.Name;

    /// <inheritdoc/>
    protected override KeyValueState? Intercept(KeyValueContext context, KeyValueState state, KeyValueInput input) =>
        input is KeyValueInput.Receive { Message: Prepare prepare } && prepare.Ballot < state.Promised
            ? Step(context, state with { Promised = prepare.Ballot }, input)
            : null;
}
