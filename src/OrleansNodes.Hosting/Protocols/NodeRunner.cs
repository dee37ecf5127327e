using OrleansNodes.Core;

namespace OrleansNodes.Hosting.Protocols;

/// <summary>
/// One node of one protocol behind a type-erased face: the node grain holds a runner and never
/// sees the protocol's type parameters. The runner owns the node's current state and a reused
/// <see cref="StepContext{TSettings, TMessage, TReply}"/>; effects accumulate in it across a
/// batch until the grain has written what is durable and collects them.
/// </summary>
public abstract class NodeRunner
{
    /// <summary>The node's current state (the protocol's <c>TState</c>), possibly not yet flushed.</summary>
    public abstract object State { get; }

    /// <summary>A one-line description of the current state (the protocol's <c>Describe</c>).</summary>
    public abstract string Describe();

    /// <summary>The node at a glance (the protocol's <c>Inspect</c>).</summary>
    public abstract NodeView Inspect();

    /// <summary>True when <paramref name="message"/> belongs to this protocol's message family.</summary>
    public abstract bool AcceptsMessage(object message);

    /// <summary>True when <paramref name="command"/> is one of this protocol's client requests.</summary>
    public abstract bool AcceptsCommand(object command);

    /// <summary>Steps one input. Returns true when the state changed (a new instance).</summary>
    internal abstract bool Step(in NodeInput input);

    /// <summary>
    /// What the batch stepped since the last flush must write: the hard state when it differs
    /// from the last one written, and the log and snapshot writes; null when nothing is durable
    /// (the batch's effects may leave at once). The hard state counts as written only once the
    /// host calls <see cref="Flushed"/>.
    /// </summary>
    internal abstract PendingFlush? TakeFlush();

    /// <summary>The write of <paramref name="flush"/> succeeded: its hard state is the last one written.</summary>
    internal abstract void Flushed(PendingFlush flush);

    /// <summary>Copies the sends and replies written since the last collection, and forgets them.</summary>
    internal abstract void CollectEffects(List<Envelope<object>> sends, List<ClientReply<object>> replies);

    /// <summary>Forgets effects written since the last collection (a batch whose write failed).</summary>
    internal abstract void DiscardEffects();
}

/// <summary>
/// A batch's durable writes, before they are serialized: the hard state (when it changed) and the
/// log and snapshot writes, and the state they were taken from.
/// </summary>
internal sealed record PendingFlush(bool HardChanged, object? Hard, DurableWrites Writes, object State);
