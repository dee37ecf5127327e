namespace OrleansNodes.Simulation.Counterexamples;

/// <summary>A message a flush released into the network.</summary>
/// <param name="MessageId">Unique in its <see cref="Counterexample"/>; the decisions that act on the message carry it as <see cref="TraceEvent.MessageId"/>.</param>
/// <param name="From">The sender.</param>
/// <param name="To">The target.</param>
/// <param name="Ordinal">The message's ordinal on its link, as schedules name it (<c>deliver n1->n0 #3</c>).</param>
/// <param name="Message">The message in the structural text form.</param>
public sealed record TraceSend(long MessageId, int From, int To, long Ordinal, string Message);
