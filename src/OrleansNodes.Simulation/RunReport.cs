namespace OrleansNodes.Simulation;

/// <summary>The outcome of one seeded run, with counters for the console's tables and for tests that assert faults really happened.</summary>
public sealed record RunReport
{
    /// <summary>The run's seed.</summary>
    public required ulong Seed { get; init; }

    /// <summary>The first violation, or null when the run passed.</summary>
    public Violation? Violation { get; init; }

    /// <summary>True when no property was violated and the workload (if any) passed.</summary>
    public bool Passed => Violation is null;

    /// <summary>Inputs stepped: deliveries, ticks and requests.</summary>
    public long Steps { get; init; }

    /// <summary>Messages delivered to a running node.</summary>
    public long Deliveries { get; init; }

    /// <summary>Ticks stepped.</summary>
    public long Ticks { get; init; }

    /// <summary>Client requests stepped.</summary>
    public long Requests { get; init; }

    /// <summary>Rounds of logical time.</summary>
    public long Rounds { get; init; }

    /// <summary>Decisions recorded (the schedule's length).</summary>
    public int Decisions { get; init; }

    /// <summary>Batches flushed.</summary>
    public long Flushes { get; init; }

    /// <summary>Flushes that wrote something (a changed hard state, log entries or a snapshot); the others only released messages.</summary>
    public long DurableWrites { get; init; }

    /// <summary>Log entries written.</summary>
    public long EntriesWritten { get; init; }

    /// <summary>Snapshots written.</summary>
    public long SnapshotsWritten { get; init; }

    /// <summary>Messages dropped by the network fault.</summary>
    public long Drops { get; init; }

    /// <summary>Messages duplicated.</summary>
    public long Duplicates { get; init; }

    /// <summary>Messages lost because their target was down or their link cut.</summary>
    public long Lost { get; init; }

    /// <summary>Crashes.</summary>
    public long Crashes { get; init; }

    /// <summary>Restarts.</summary>
    public long Restarts { get; init; }

    /// <summary>Links cut (one direction counts one).</summary>
    public long Cuts { get; init; }

    /// <summary>Steps whose unpersisted effects a crash discarded.</summary>
    public long LostSteps { get; init; }

    /// <summary>
    /// In a replay, the schedule's decisions that did not apply: a node the cluster does not have,
    /// a message or request that is not in flight, a step the run's model forbids. A schedule
    /// replays exactly on the protocol, settings and options it was recorded with, so any skipped
    /// decision means it does not fit, and its replay proves nothing. Zero in random runs.
    /// </summary>
    public int SkippedDecisions { get; init; }

    /// <summary>The first decision that did not apply (<c>decision N 'deliver n1->n0 #3'</c>), or null.</summary>
    public string? FirstSkipped { get; init; }

    /// <summary>The <c>Sometimes</c> goals this run reached.</summary>
    public IReadOnlyList<string> GoalsReached { get; init; } = [];

    /// <summary>
    /// Invariants this run could not evaluate: their precondition never held (an accuracy property
    /// on a network that never became reliable). The run passes, but says so.
    /// </summary>
    public IReadOnlyList<string> Unevaluated { get; init; } = [];

    /// <summary>With <see cref="SimulationOptions.Swarm"/>, the configuration the seed drew; else null.</summary>
    public string? Configuration { get; init; }

    /// <summary>What the workload returned from <see cref="IWorkload{TRequest, TReply}.Complete"/>, or null.</summary>
    public object? WorkloadResult { get; init; }

    /// <summary>Throws <see cref="SimulationFailedException"/> with the full report when the run failed.</summary>
    public void ThrowIfFailed()
    {
        if (Violation is { } violation) throw new SimulationFailedException(violation.ToString(), violation);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        Violation is { } violation
            ? violation.ToString()
            : $"seed {Seed} passed: {Steps} steps ({Deliveries} deliveries, {Ticks} ticks, {Requests} requests), {Rounds} rounds, " +
              $"{Flushes} flushes ({DurableWrites} wrote), {Drops} drops, {Duplicates} duplicates, {Lost} lost, {Crashes} crashes, {Cuts} cuts" +
              (Configuration is null ? string.Empty : $"; configuration: {Configuration}") +
              (Unevaluated.Count == 0 ? string.Empty : $"; warning: not evaluated: {string.Join(", ", Unevaluated.Select(n => $"'{n}'"))}");
}
