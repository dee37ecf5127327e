using OrleansNodes.Protocols.KeyValue;
using KeyValueContext = OrleansNodes.Core.StepContext<OrleansNodes.Protocols.KeyValue.KeyValueSettings, OrleansNodes.Protocols.KeyValue.KeyValueMessage, OrleansNodes.Protocols.KeyValue.KeyValueReply>;
using KeyValueInput = OrleansNodes.Core.Input<OrleansNodes.Protocols.KeyValue.KeyValueMessage, OrleansNodes.Protocols.KeyValue.KeyValueCommand>;

namespace OrleansNodes.Protocols.Tests.Mutants.KeyValue;

/// <summary>
/// A leader answers gets from its own store without a log round. Once it has been deposed
/// without knowing it, it serves stale reads: only the clients' linearizability check sees it.
/// </summary>
public sealed class LeaderReadsLocally : KeyValueMutant
{
    /// <inheritdoc/>
    public override string Bug => "the leader answers gets from its own store without a log round";

    /// <inheritdoc/>
    public override string ExpectedViolation => "workload";

    /// <inheritdoc/>
    protected override KeyValueState? Intercept(KeyValueContext context, KeyValueState state, KeyValueInput input)
    {
        if (state.Leadership is null || input is not KeyValueInput.Request { Command: KeyValueCommand.Get get } request) return null;
        context.Reply(request.Client, request.Sequence, new KeyValueReply.Value(state.Store.Get(get.Key)));
        return state;
    }
}
