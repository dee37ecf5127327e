namespace OrleansNodes.Simulation;

/// <summary>
/// A workload factory that can say what it makes: <see cref="Spec"/> is recorded in every schedule
/// the simulator saves, so the schedule's replay can rebuild the same clients (the console does,
/// for the protocols it ships with).
/// </summary>
/// <param name="Spec">What fully determines the clients, besides the run's seed.</param>
/// <param name="Create">Makes the clients of one run.</param>
public sealed record WorkloadFactory<TRequest, TReply>(WorkloadSpec Spec, Func<WorkloadSetup, IWorkload<TRequest, TReply>> Create)
{
    /// <summary>
    /// The factory for another spec of the same kind, or null when it cannot make one. With it, a
    /// simulator replays schedules whose clients were shrunk (fewer clients, fewer operations).
    /// </summary>
    public Func<WorkloadSpec, WorkloadFactory<TRequest, TReply>?>? Variant { get; init; }

    /// <summary>
    /// Smaller workloads of the same kind, simplest first, that shrinking tries before it deletes
    /// decisions: a counterexample with one client is easier to read than one with three.
    /// </summary>
    public IReadOnlyList<WorkloadSpec> Smaller { get; init; } = [];
}
