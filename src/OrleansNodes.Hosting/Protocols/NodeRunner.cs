using OrleansNodes.Core;

namespace OrleansNodes.Hosting.Protocols;

/// <summary>
/// One node of one protocol behind a type-erased face: the node grain holds a runner and never
/// sees the protocol's type parameters. The runner owns the node's current state and a reused
/// <see cref="StepContext{TSettings, TMessage, TReply}"/>; effects accumulate in it across a
/// batch until the grain has persisted the state and collects them.
/// </summary>
public abstract class NodeRunner
{
    /// <summary>The node's current state (the protocol's <c>TState</c>), possibly not yet persisted.</summary>
    public abstract object State { get; }

    /// <summary>A one-line description of the current state (the protocol's <c>Describe</c>).</summary>
    public abstract string Describe();

    /// <summary>True when <paramref name="message"/> belongs to this protocol's message family.</summary>
    public abstract bool AcceptsMessage(object message);

    /// <summary>True when <paramref name="command"/> is one of this protocol's client requests.</summary>
    public abstract bool AcceptsCommand(object command);

    /// <summary>Steps one input. Returns true when the state changed (a new instance).</summary>
    internal abstract bool Step(in NodeInput input);

    /// <summary>Copies the sends and replies written since the last collection, and forgets them.</summary>
    internal abstract void CollectEffects(List<Envelope<object>> sends, List<ClientReply<object>> replies);

    /// <summary>Forgets effects written since the last collection (a batch whose write failed).</summary>
    internal abstract void DiscardEffects();
}
