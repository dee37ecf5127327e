namespace OrleansNodes.Simulation;

/// <summary>Thrown by <c>ThrowIfFailed</c> and by a scripted <see cref="World{TSettings, TState, TMessage, TRequest, TReply}"/>; its message is the full report.</summary>
public sealed class SimulationFailedException : Exception
{
    /// <summary>Creates the exception with its report.</summary>
    public SimulationFailedException(string report, Violation? violation = null)
        : base(report) => Violation = violation;

    /// <summary>The violation, when one property failed (null when a suite failed for a goal never reached).</summary>
    public Violation? Violation { get; }
}
