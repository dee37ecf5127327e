namespace OrleansNodes.Simulation.Linearizability;

/// <summary>
/// One operation of a history: a client's <see cref="Command"/>, the positions of its
/// invocation and completion in the history's real-time order, and its result.
/// Positions are any increasing numbers (event indexes, simulated ticks): operation A
/// happened before B exactly when <c>A.Complete &lt; B.Invoke</c>; otherwise they overlap.
/// An operation with an unknown outcome has no completion (<see cref="Complete"/> is <c>null</c>):
/// it may take effect at any time after <see cref="Invoke"/>, or never.
/// </summary>
public sealed record Operation(int Id, ClientId Client, Command Command, long Invoke, long? Complete, OperationResult Result)
{
    /// <summary>The key the command touches; histories are checked one key at a time.</summary>
    public string Key => Command.Key;

    /// <summary>
    /// Why this operation is malformed, or <c>null</c>. The rules the loaders enforce with line
    /// numbers and <see cref="History"/> enforces with exceptions.
    /// </summary>
    public string? Problem()
    {
        if (Command.Problem() is { } commandProblem) return commandProblem;
        if (Invoke < 0) return "has a negative invoke position";
        if (Result.Outcome == Outcome.Unknown)
            return Complete is null ? null : "has an unknown result but a complete position (an unknown outcome has no completion)";
        if (Complete is not { } complete) return "has no complete position but a known result (use result unknown)";
        if (complete <= Invoke) return "has complete before invoke";
        if (Result.Outcome == Outcome.Failed && Command.Kind != OperationKind.Cas) return $"{Command.Verb} cannot fail (only cas can)";
        if (Result.ReadValue is not null && Command.Kind != OperationKind.Get) return $"{Command.Verb} reads no value";
        return null;
    }

    /// <summary>Prints like <c>get k1 → "x" by c3 at [12,15]</c>.</summary>
    public override string ToString()
    {
        var interval = Complete is { } complete ? $"[{Invoke},{complete}]" : $"[{Invoke},…) outcome unknown";
        var result = (Command.Kind, Result.Outcome) switch
        {
            (OperationKind.Get, Outcome.Ok) => " → " + Command.Quote(Result.ReadValue),
            (OperationKind.Cas, Outcome.Ok) => " ok",
            (OperationKind.Cas, Outcome.Failed) => " failed",
            _ => "",
        };
        return $"{Command}{result} by {Client} at {interval}";
    }
}
