using System.Text;

namespace OrleansNodes.Simulation.Linearizability;

/// <summary>
/// Turns a shrunk counterexample into words: a headline, one sentence on why the operations
/// cannot be ordered, and the operations themselves. It recognises the classic shapes of a
/// violation (a read of a value nobody wrote, a read from the future, a stale read) and falls
/// back to naming the operation the search could not get past.
/// </summary>
internal static class ViolationExplainer
{
    public static string Explain(string key, ImmutableArray<Operation> counterexample, List<Operation> keyOperations, IModel model)
    {
        var text = new StringBuilder();
        text.Append("not linearizable: key ").Append(Command.Quote(key)).Append(" (").Append(model.Name).Append(" model): ");
        text.Append(Sentence(counterexample, keyOperations, model));
        text.Append(Environment.NewLine).Append("the ").Append(counterexample.Length)
            .Append(counterexample.Length == 1 ? " operation" : " operations").Append(" that cannot be ordered:");
        foreach (var operation in counterexample)
            text.Append(Environment.NewLine).Append("  #").Append(operation.Id).Append(' ').Append(operation);
        return text.ToString();
    }

    private static string Sentence(ImmutableArray<Operation> counterexample, List<Operation> keyOperations, IModel model)
    {
        foreach (var reader in counterexample.Where(IsRead))
        {
            if (NeverWritten(reader, keyOperations, model) is { } neverWritten) return neverWritten;
            if (FromTheFuture(reader, keyOperations, model) is { } future) return future;
            if (Stale(reader, counterexample, keyOperations, model) is { } stale) return stale;
        }

        var stuck = LinearizationSearch.Run([.. counterexample], model, 1_000_000).DeepestBlocked;
        var culprit = stuck >= 0 ? counterexample[stuck] : null;
        return culprit is null
            ? $"these {counterexample.Length} operations cannot be put in any order that respects both real time and the model."
            : $"these {counterexample.Length} operations cannot be put in any order that respects both real time and the model: " +
              $"every order that gets that far fails to account for {culprit}.";
    }

    /// <summary>A get that completed, or a cas that succeeded: an operation that observed a value.</summary>
    private static bool IsRead(Operation operation) =>
        operation.Result.Outcome == Outcome.Ok && operation.Command.Kind is OperationKind.Get or OperationKind.Cas;

    private static string? NeverWritten(Operation reader, List<Operation> keyOperations, IModel model)
    {
        if (ObservedInitially(reader, model) || keyOperations.Any(o => o.Command.Kind == OperationKind.Append)) return null;
        if (Writers(reader, keyOperations, model).Any()) return null;
        return $"{reader} observed {Command.Quote(Observed(reader))}, a value no operation on the key ever wrote.";
    }

    private static string? FromTheFuture(Operation reader, List<Operation> keyOperations, IModel model)
    {
        if (ObservedInitially(reader, model) || keyOperations.Any(o => o.Command.Kind == OperationKind.Append)) return null;
        var writers = Writers(reader, keyOperations, model).ToList();
        if (writers.Count == 0 || writers.Any(w => w.Invoke <= reader.Complete)) return null;
        return writers.Count == 1
            ? $"{reader} cannot be ordered: the only {writers[0].Command.Verb} of {Command.Quote(Observed(reader))} ({writers[0]}) was invoked after it completed."
            : $"{reader} cannot be ordered: all {writers.Count} writes of {Command.Quote(Observed(reader))} were invoked after it completed.";
    }

    private static string? Stale(Operation reader, ImmutableArray<Operation> counterexample, List<Operation> keyOperations, IModel model)
    {
        if (keyOperations.Any(o => o.Command.Kind == OperationKind.Append)) return null;
        var writers = Writers(reader, keyOperations, model).ToList();
        var initially = ObservedInitially(reader, model);
        if (writers.Count + (initially ? 1 : 0) != 1) return null;
        var writer = writers.FirstOrDefault();
        var writerCompleted = writer?.Complete ?? long.MinValue;
        var overwriter = counterexample.FirstOrDefault(o =>
            o != reader && o != writer && o.Command.IsMutation && o.Result.Outcome == Outcome.Ok
            && o.Invoke > writerCompleted && o.Complete < reader.Invoke
            && !model.TryStep(After(o, model), reader, out _));
        if (overwriter is null) return null;
        return writer is null
            ? $"{reader} is stale: it observed the initial value, but {overwriter} had replaced it before the {reader.Command.Verb} was invoked."
            : $"{reader} is stale: {overwriter} replaced {Command.Quote(Observed(reader))} after {writer} wrote it, and before the {reader.Command.Verb} was invoked.";
    }

    /// <summary>The value a read observed: what a get returned, or what a successful cas expected.</summary>
    private static string? Observed(Operation reader) =>
        reader.Command.Kind == OperationKind.Get ? reader.Result.ReadValue : reader.Command.Expected;

    private static bool ObservedInitially(Operation reader, IModel model) => model.TryStep(model.Initial, reader, out _);

    /// <summary>The mutations (that did or may have taken effect) after which <paramref name="reader"/> would succeed.</summary>
    private static IEnumerable<Operation> Writers(Operation reader, List<Operation> keyOperations, IModel model) =>
        keyOperations.Where(o => o != reader && o.Command.IsMutation && o.Result.Outcome != Outcome.Failed
                                 && model.TryStep(After(o, model), reader, out _));

    /// <summary>The state right after a put, delete or cas takes effect, which does not depend on the state before.</summary>
    private static string? After(Operation mutation, IModel model)
    {
        var before = mutation.Command.Kind == OperationKind.Cas ? mutation.Command.Expected : model.Initial;
        model.TryStep(before, mutation, out var after);
        return after;
    }
}
