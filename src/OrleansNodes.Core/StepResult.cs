namespace OrleansNodes.Core;

/// <summary>
/// The seed's <c>(state', outbox)</c>: what <c>Step(config, state, input)</c> returns, with the log
/// and snapshot writes the step asked for (etcd/raft's <c>Ready</c> carries both).
/// </summary>
public sealed record StepResult<TState, TMessage, TReply>(TState State, Outbox<TMessage, TReply> Outbox, DurableWrites Writes);
