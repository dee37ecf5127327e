namespace OrleansNodes.Simulation.Linearizability;

/// <summary>
/// What a client learned about its operation: the <see cref="Outcome"/>, and for a get that
/// completed, the value it read (<c>null</c>: the key was absent).
/// </summary>
public sealed record OperationResult(Outcome Outcome, string? ReadValue = null)
{
    /// <summary>A put, delete, append or compare-and-set that took effect.</summary>
    public static OperationResult Ok { get; } = new(Outcome.Ok);

    /// <summary>A compare-and-set whose comparison failed.</summary>
    public static OperationResult Failed { get; } = new(Outcome.Failed);

    /// <summary>The client never learned what happened.</summary>
    public static OperationResult Unknown { get; } = new(Outcome.Unknown);

    /// <summary>A get that read <paramref name="value"/> (<c>null</c>: absent).</summary>
    public static OperationResult Read(string? value) => new(Outcome.Ok, value);
}
