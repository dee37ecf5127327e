using OrleansNodes.Protocols.FailureDetector;
using OrleansNodes.Protocols.KeyValue;
using KeyValueContext = OrleansNodes.Core.StepContext<OrleansNodes.Protocols.KeyValue.KeyValueSettings, OrleansNodes.Protocols.KeyValue.KeyValueMessage, OrleansNodes.Protocols.KeyValue.KeyValueReply>;
using KeyValueInput = OrleansNodes.Core.Input<OrleansNodes.Protocols.KeyValue.KeyValueMessage, OrleansNodes.Protocols.KeyValue.KeyValueCommand>;

namespace OrleansNodes.Protocols.Tests.Mutants.KeyValue;

/// <summary>
/// A deliberately broken key-value store: the real <see cref="KeyValueProtocol"/> (or a subclass
/// that overrides one of its seams) behind a wrapper that can answer an input itself, distort the
/// durable writes a step asks for, or distort recovery. The real step runs on a scratch context;
/// its sends, replies and writes are passed on to the host's context through <see cref="PassWrites"/>.
/// The bugs live here, in the test project; the properties are the real ones.
/// </summary>
public abstract class KeyValueMutant(KeyValueProtocol? inner = null) : Protocol<KeyValueSettings, KeyValueState, KeyValueMessage, KeyValueCommand, KeyValueReply>
{
    /// <summary>The protocol the mutant wraps.</summary>
    protected KeyValueProtocol Inner { get; } = inner ?? new KeyValueProtocol();

    /// <summary>What is broken, for reports.</summary>
    public abstract string Bug { get; }

    /// <summary>The property a correct checker must report for this bug.</summary>
    public abstract string ExpectedViolation { get; }

    /// <inheritdoc/>
    public override string Name => "kv-mutant-" + GetType().Name;

    /// <summary>
    /// The properties checked, when not the real store's: the same properties built for other
    /// bounds (an exhaustive search's rounds, say), with <see cref="KeyValueProperties.For(KeyValueSettings, NetworkBounds)"/>.
    /// </summary>
    public IReadOnlyList<Property<KeyValueState>>? CheckedProperties { get; init; }

    /// <inheritdoc/>
    public override IReadOnlyList<Property<KeyValueState>> Properties => CheckedProperties ?? Inner.Properties;

    /// <inheritdoc/>
    public override KeyValueState Init(NodeConfig<KeyValueSettings> config) => Inner.Init(config);

    /// <inheritdoc/>
    public override object? HardState(KeyValueState state) => Inner.HardState(state);

    /// <inheritdoc/>
    public override KeyValueState Recover(NodeConfig<KeyValueSettings> config, DurableImage image) => Inner.Recover(config, image);

    /// <inheritdoc/>
    public override string Describe(KeyValueState state) => Inner.Describe(state);

    /// <inheritdoc/>
    public override NodeView Inspect(KeyValueState state) => Inner.Inspect(state);

    /// <inheritdoc/>
    public override KeyValueState Step(KeyValueContext context, KeyValueState state, KeyValueInput input)
    {
        if (Intercept(context, state, input) is { } answered) return answered;
        var scratch = new KeyValueContext(context.Config);
        var next = Inner.Step(scratch, state, input);
        foreach (var send in scratch.PendingSends) context.Send(send.To, send.Message);
        foreach (var reply in scratch.PendingReplies) context.Reply(reply.Client, reply.Sequence, reply.Reply);
        PassWrites(state, next, scratch.Durable, context.Durable);
        return next;
    }

    /// <summary>Handles the input instead of the real protocol, or returns null to let it. The default lets it.</summary>
    protected virtual KeyValueState? Intercept(KeyValueContext context, KeyValueState state, KeyValueInput input) => null;

    /// <summary>
    /// Passes the step's durable writes on, in an order that gives the same result as the step's
    /// own calls (snapshot, then deletions, then puts). Mutants override it to distort them.
    /// </summary>
    protected virtual void PassWrites(KeyValueState before, KeyValueState after, DurableWriter written, DurableWriter host)
    {
        if (written.PendingSnapshot is { } snapshot) host.Snapshot(snapshot.Index, snapshot.Chunks);
        if (written.PendingTruncateFrom is { } truncate) host.TruncateFrom(truncate);
        if (written.PendingCompactThrough is { } compact) host.CompactThrough(compact);
        foreach (var put in written.PendingPuts) host.Put(put.Index, put.Entry);
    }
}
