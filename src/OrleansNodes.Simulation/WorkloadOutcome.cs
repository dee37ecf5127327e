namespace OrleansNodes.Simulation;

/// <summary>A workload's verdict on a run: a failure reason (null when it passed) and a result for tests to inspect, e.g. the history.</summary>
/// <param name="Failure">Why the run failed, or null.</param>
/// <param name="Result">Anything the workload wants to hand back; lands in <see cref="RunReport.WorkloadResult"/>.</param>
public sealed record WorkloadOutcome(string? Failure, object? Result)
{
    /// <summary>The run passed.</summary>
    public static WorkloadOutcome Pass(object? result = null) => new(null, result);

    /// <summary>The run failed for <paramref name="reason"/>.</summary>
    public static WorkloadOutcome Fail(string reason, object? result = null) => new(reason, result);
}
