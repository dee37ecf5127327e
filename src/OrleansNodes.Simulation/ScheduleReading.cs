namespace OrleansNodes.Simulation;

/// <summary>
/// How a replay reads a random run's schedule: which choices the schedule names, so that a
/// <c>round</c> knows what it owes. Schedules written now name everything a run chose beyond the
/// round's obligations (<see cref="Current"/>); older formats named less and are read their way.
/// </summary>
/// <param name="NamedRests">
/// A node up all round that takes fewer ticks than the round owes says so (<c>rest n1</c>), so a
/// <c>round</c> owes every other such node its ticks (formats <c>/3</c> and <c>/4</c>). Otherwise
/// (<c>/1</c>, <c>/2</c>) a round owes a node a tick only when the model forbids its silence.
/// </param>
/// <param name="NamedDelays">
/// A message the run held back says so (<c>delay n1->n0 #3 +2</c>, format <c>/4</c>), so a message
/// no <c>delay</c> names is due by the end of the round after its send. Otherwise a replay knows
/// only the bound, and a message is due once <see cref="SimulationOptions.MaxDelayRounds"/> run out.
/// </param>
/// <param name="FastClocks">
/// Under <see cref="FaultKinds.Skew"/> a round owes every node up all round the most ticks the
/// model allows (two), and <c>rest n1</c> says n1 takes no more this round (format <c>/4</c>).
/// Otherwise it owes one: a skewed node's second tick in a round is a decision of its own.
/// </param>
public readonly record struct ScheduleReading(bool NamedRests, bool NamedDelays, bool FastClocks)
{
    /// <summary>The reading of schedules written now (format <c>/4</c>).</summary>
    public static ScheduleReading Current { get; } = new(NamedRests: true, NamedDelays: true, FastClocks: true);
}
