namespace OrleansNodes.Simulation.Linearizability;

/// <summary>
/// Where an observed value could have come from: for a get that completed or a cas that
/// succeeded (a "read"), the initial state or the puts, deletes and cases after which the read
/// would succeed. Appends build values out of several operations, so for keys with appends
/// provenance is not tracked.
/// </summary>
internal static class Provenance
{
    /// <summary>A get that completed, or a cas that succeeded: an operation that observed a value.</summary>
    public static bool IsRead(Operation operation) =>
        operation.Result.Outcome == Outcome.Ok && operation.Command.Kind is OperationKind.Get or OperationKind.Cas;

    /// <summary>The value a read observed: what a get returned, or what a successful cas expected.</summary>
    public static string? Observed(Operation reader) =>
        reader.Command.Kind == OperationKind.Get ? reader.Result.ReadValue : reader.Command.Expected;

    /// <summary>Whether <paramref name="reader"/> would succeed on a key nobody touched.</summary>
    public static bool ObservesInitial(Operation reader, IModel model) => model.TryStep(model.Initial, reader, out _);

    /// <summary>Whether values in these operations can be traced to single writes (no appends).</summary>
    public static bool IsTraceable(IEnumerable<Operation> operations) =>
        operations.All(o => o.Command.Kind != OperationKind.Append);

    /// <summary>The mutations (that did or may have taken effect) right after which <paramref name="reader"/> would succeed.</summary>
    public static IEnumerable<Operation> Writers(Operation reader, IEnumerable<Operation> operations, IModel model) =>
        operations.Where(o => o != reader && o.Command.IsMutation && o.Result.Outcome != Outcome.Failed
                              && model.TryStep(After(o, model), reader, out _));

    /// <summary>Whether every read among <paramref name="operations"/> observed a value some of them (or the initial state) produced.</summary>
    public static bool IsComplete(IReadOnlyCollection<Operation> operations, IModel model) =>
        operations.Where(IsRead).All(r => ObservesInitial(r, model) || Writers(r, operations, model).Any());

    /// <summary>The state right after a put, delete or successful cas, which does not depend on the state before.</summary>
    public static string? After(Operation mutation, IModel model)
    {
        var before = mutation.Command.Kind == OperationKind.Cas ? mutation.Command.Expected : model.Initial;
        model.TryStep(before, mutation, out var after);
        return after;
    }
}
