namespace OrleansNodes.Simulation;

/// <summary>A workload's verdict on a run: a failure reason (null when it passed) and a result for tests to inspect, e.g. the history.</summary>
/// <param name="Failure">Why the run failed, or null.</param>
/// <param name="Result">Anything the workload wants to hand back; lands in <see cref="RunReport.WorkloadResult"/>.</param>
public sealed record WorkloadOutcome(string? Failure, object? Result)
{
    /// <summary>
    /// A short, stable name for the kind of failure (say, <c>history not linearizable</c>), which
    /// shrinking compares so that a shrunk schedule keeps failing the same way; null means the
    /// failure text up to its first colon.
    /// </summary>
    public string? Signature { get; init; }

    /// <summary>The run passed.</summary>
    public static WorkloadOutcome Pass(object? result = null) => new(null, result);

    /// <summary>The run failed for <paramref name="reason"/>.</summary>
    public static WorkloadOutcome Fail(string reason, object? result = null) => new(reason, result);

    /// <summary>The run failed for <paramref name="reason"/>, a failure of the kind <paramref name="signature"/>.</summary>
    public static WorkloadOutcome Fail(string reason, string signature, object? result) => new(reason, result) { Signature = signature };
}
