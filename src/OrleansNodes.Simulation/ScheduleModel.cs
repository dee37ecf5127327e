namespace OrleansNodes.Simulation;

/// <summary>Which executions a schedule's replay admits; a schedule file's <c>model</c> field.</summary>
public enum ScheduleModel
{
    /// <summary>
    /// The random scheduler's round model (the default): a replayed decision that the run's
    /// options forbid does not apply (see <see cref="SimulationOptions"/>: ticks per round, delay
    /// bounds, batch sizes, crash budget), and every round ends with every node persisting.
    /// </summary>
    Random,

    /// <summary>
    /// Written by an exhaustive explorer: no round model is enforced, and nodes persist only at
    /// explicit <c>flush</c> decisions (a schedule typically has a single <c>round</c> at its start,
    /// to let its clients speak).
    /// </summary>
    Explored,
}
