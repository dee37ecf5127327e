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

    /// <summary>
    /// For each operation (by index), the indexes of the reads it is the source of. A read's
    /// source is the write it most plausibly observed: of the puts, deletes and cases that
    /// leave the value it read (or with appends, start it), the last to complete before the
    /// read was invoked; failing that, the last invoked before the read completed; failing
    /// that, the first invoked after (a read from the future is exactly the violation to keep).
    /// A cas with an unknown outcome reads its expected value; a failed cas observed a write
    /// that left a value other than the one it expected. Every append whose piece a read's
    /// value contains is a source of that read too.
    /// </summary>
    public static List<int>[] Sources(List<Operation> operations, IModel model)
    {
        var observers = new List<int>[operations.Count];
        for (var i = 0; i < observers.Length; i++) observers[i] = [];
        var hasAppends = !IsTraceable(operations);
        var writes = Enumerable.Range(0, operations.Count)
            .Where(i => operations[i].Command.IsMutation && operations[i].Command.Kind != OperationKind.Append && operations[i].Result.Outcome != Outcome.Failed)
            .Select(i => (Index: i, After: After(operations[i], model)))
            .ToList();
        var appends = Enumerable.Range(0, operations.Count)
            .Where(i => operations[i].Command.Kind == OperationKind.Append && operations[i].Result.Outcome != Outcome.Failed && operations[i].Command.Value!.Length > 0)
            .ToList();

        for (var r = 0; r < operations.Count; r++)
        {
            var reader = operations[r];
            var failedCas = reader.Result.Outcome == Outcome.Failed;
            // A cas with an unknown outcome observed its expected value if it took effect.
            var unknownCas = reader.Command.Kind == OperationKind.Cas && reader.Result.Outcome == Outcome.Unknown;
            if (!failedCas && !unknownCas && !IsRead(reader)) continue;
            var observed = Observed(reader) ?? "";
            var completed = reader.Complete ?? long.MaxValue;
            var preceding = -1;
            var before = -1;
            var after = -1;
            foreach (var (w, state) in writes)
            {
                if (w == r) continue;
                var candidate = failedCas
                    ? !string.Equals(state, reader.Command.Expected, StringComparison.Ordinal)
                    : model.TryStep(state, unknownCas ? reader with { Result = OperationResult.Ok } : reader, out _)
                      || (hasAppends && state is { Length: > 0 } && observed.StartsWith(state, StringComparison.Ordinal));
                if (!candidate) continue;
                var write = operations[w];
                if (write.Complete < reader.Invoke) { if (preceding < 0 || write.Complete > operations[preceding].Complete) preceding = w; }
                else if (write.Invoke < completed) { if (before < 0 || write.Invoke > operations[before].Invoke) before = w; }
                else if (after < 0 || write.Invoke < operations[after].Invoke) after = w;
            }
            var source = preceding >= 0 ? preceding : before >= 0 ? before : after;
            if (source >= 0) observers[source].Add(r);
            if (failedCas) continue;
            foreach (var a in appends)
            {
                if (a != r && observed.Contains(operations[a].Command.Value!, StringComparison.Ordinal)) observers[a].Add(r);
            }
        }
        return observers;
    }

    /// <summary>Whether <paramref name="value"/> from <paramref name="start"/> on is a concatenation of <paramref name="pieces"/> (reuse allowed).</summary>
    private static bool IsConcatenation(string value, int start, List<string> pieces)
    {
        var reachable = new bool[value.Length + 1];
        reachable[start] = true;
        for (var at = start; at < value.Length; at++)
        {
            if (!reachable[at]) continue;
            foreach (var piece in pieces)
            {
                if (at + piece.Length <= value.Length && string.CompareOrdinal(value, at, piece, 0, piece.Length) == 0)
                    reachable[at + piece.Length] = true;
            }
        }
        return reachable[value.Length];
    }

    /// <summary>The state right after a put, delete or successful cas, which does not depend on the state before.</summary>
    public static string? After(Operation mutation, IModel model)
    {
        var before = mutation.Command.Kind == OperationKind.Cas ? mutation.Command.Expected : model.Initial;
        model.TryStep(before, mutation, out var after);
        return after;
    }
}
