namespace OrleansNodes.Simulation.Linearizability;

/// <summary>How an operation ended, as far as its client knows.</summary>
public enum Outcome
{
    /// <summary>The operation took effect; for a get, the value it read is known.</summary>
    Ok,

    /// <summary>A compare-and-set found a different value and changed nothing (only meaningful for <see cref="OperationKind.Cas"/>).</summary>
    Failed,

    /// <summary>
    /// The client never learned the outcome (it timed out, or the history ended first). The
    /// operation may take effect at any time after its invocation, or never.
    /// </summary>
    Unknown,
}
