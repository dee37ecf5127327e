namespace OrleansNodes.Simulation.Counterexamples;

/// <summary>
/// A schedule replayed and told as a story a person can follow: one <see cref="TraceEvent"/> per
/// decision that applied, every message linked from the flush that released it to what became of
/// it, the state changes of every step, and the violation (if any) at the end. What
/// <see cref="ISimulation.Explain"/> returns and <see cref="CounterexampleViewer"/> draws.
/// </summary>
public sealed record Counterexample
{
    /// <summary>The protocol's name.</summary>
    public required string Protocol { get; init; }

    /// <summary>The run's seed.</summary>
    public required ulong Seed { get; init; }

    /// <summary>Number of nodes: lanes <c>n0</c> to <c>n{Nodes-1}</c>.</summary>
    public required int Nodes { get; init; }

    /// <summary>The clients that sent requests or got replies, in ascending order: one lane each.</summary>
    public required ImmutableArray<long> Clients { get; init; }

    /// <summary>Every node's state before the first decision, in the structural text form.</summary>
    public required ImmutableArray<string> InitialStates { get; init; }

    /// <summary>Every node's state after the last decision (what a liveness failure at the end of the run judged).</summary>
    public required ImmutableArray<string> FinalStates { get; init; }

    /// <summary>The decisions that applied, in order.</summary>
    public required ImmutableArray<TraceEvent> Events { get; init; }

    /// <summary>The property the replay violated, or null when it passed.</summary>
    public TraceViolation? Violation { get; init; }

    /// <summary>Decisions of the schedule that did not apply on replay (a schedule that does not fit shows fewer events than decisions).</summary>
    public int SkippedDecisions { get; init; }

    /// <summary>Where the schedule came from (its file), if known.</summary>
    public string? Source { get; init; }
}
