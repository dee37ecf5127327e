namespace OrleansNodes.Core;

/// <summary>The seed's <c>(state', outbox)</c>: what <c>Step(config, state, input)</c> returns.</summary>
public sealed record StepResult<TState, TMessage, TReply>(TState State, Outbox<TMessage, TReply> Outbox);
