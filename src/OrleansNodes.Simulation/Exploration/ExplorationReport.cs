namespace OrleansNodes.Simulation.Exploration;

/// <summary>What an exhaustive search found and how far it went.</summary>
public sealed record ExplorationReport
{
    /// <summary>The protocol explored.</summary>
    public required string Protocol { get; init; }

    /// <summary>The bounds and mode of the search.</summary>
    public required ExplorationOptions Options { get; init; }

    /// <summary>Distinct states visited (up to symmetry when it is on).</summary>
    public required long UniqueStates { get; init; }

    /// <summary>Transitions taken: every successor generated, seen before or not.</summary>
    public required long GeneratedStates { get; init; }

    /// <summary>Successors not explored because they exceeded <see cref="ExplorationOptions.MaxInFlight"/>.</summary>
    public required long Pruned { get; init; }

    /// <summary>The deepest level reached.</summary>
    public required int Depth { get; init; }

    /// <summary>True when some path was cut at <see cref="ExplorationOptions.MaxDepth"/>: deeper states may exist.</summary>
    public required bool DepthBounded { get; init; }

    /// <summary>True when the search stopped at <see cref="ExplorationOptions.MaxStates"/> or was cancelled before it finished.</summary>
    public required bool CutShort { get; init; }

    /// <summary>What cut the search short: the state bound, the memory bound or cancellation; null when it was not.</summary>
    public string? CutShortBy { get; init; }

    /// <summary>Wall-clock time of the search.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Bytes of the visited set's tables.</summary>
    public required long VisitedBytes { get; init; }

    /// <summary>Peak bytes the process held (working set) during the search.</summary>
    public required long PeakBytes { get; init; }

    /// <summary>The first violation (at the smallest depth under breadth-first search), or null.</summary>
    public ExplorationViolation? Violation { get; init; }

    /// <summary>Every property with what the search made of it.</summary>
    public required ImmutableArray<PropertyResult> Goals { get; init; }

    /// <summary>Unique states per second.</summary>
    public double UniquePerSecond => Elapsed.TotalSeconds > 0 ? UniqueStates / Elapsed.TotalSeconds : 0;

    /// <summary>True when nothing was violated and every <c>Sometimes</c> goal was reached.</summary>
    public bool Passed => Violation is null && Goals.All(g => g.Kind != PropertyKind.Sometimes || g.Reached);
}

/// <summary>A property the search broke, and the path that breaks it.</summary>
public sealed record ExplorationViolation
{
    /// <summary>The property's name.</summary>
    public required string Property { get; init; }

    /// <summary>How the property is judged.</summary>
    public required PropertyKind Kind { get; init; }

    /// <summary>What broke.</summary>
    public required string Message { get; init; }

    /// <summary>The path from the initial state, as the simulator's decisions (replayable by <c>sim --replay</c>).</summary>
    public required ImmutableArray<Decision> Decisions { get; init; }

    /// <summary>The path as a schedule to save and replay with <c>sim --replay</c> (set by the simulator).</summary>
    public Schedule? Schedule { get; init; }

    /// <summary>Actions on the path (deliveries, drops, duplicates, ticks, crashes, restarts, requests; flushes and the opening round are not counted).</summary>
    public required int Actions { get; init; }
}

/// <summary>One property and whether the search reached (a goal) or kept (an invariant) it.</summary>
/// <param name="Name">The property's name.</param>
/// <param name="Kind">How it is judged.</param>
/// <param name="Reached">For a goal, whether some state reached it; for an invariant, whether it held everywhere; false for liveness (not checked).</param>
public sealed record PropertyResult(string Name, PropertyKind Kind, bool Reached);

/// <summary>A search's progress, reported about once a second.</summary>
/// <param name="Generated">Transitions taken so far.</param>
/// <param name="Unique">Distinct states so far.</param>
/// <param name="UniquePerSecond">Unique states per second since the start.</param>
/// <param name="Depth">The level being explored (breadth-first) or the deepest reached (depth-first).</param>
/// <param name="Queue">States waiting to be expanded.</param>
/// <param name="MemoryBytes">Bytes the process holds now.</param>
/// <param name="Elapsed">Time since the start.</param>
public sealed record ExplorationProgress(long Generated, long Unique, double UniquePerSecond, int Depth, long Queue, long MemoryBytes, TimeSpan Elapsed);
