namespace OrleansNodes.Core;

/// <summary>How a property is judged (after stateright's <c>Expectation</c>).</summary>
public enum PropertyKind
{
    /// <summary>An invariant: must hold after every step of every run.</summary>
    Always,

    /// <summary>A goal: must hold at some step of at least one run of a suite, so a suite that never reaches the interesting states fails instead of passing vacuously.</summary>
    Sometimes,

    /// <summary>Liveness: once faults heal and enough nodes are up, must hold within the liveness bound.</summary>
    Eventually,
}
