using System.Diagnostics;

namespace OrleansNodes.Simulation.Linearizability;

/// <summary>
/// Checks a history of key-value operations for linearizability (Herlihy &amp; Wing 1990):
/// is there one total order of the operations that respects real time (an operation that
/// completed before another was invoked comes first) and in which every result is what the
/// <see cref="IModel"/> would have returned?
///
/// Keys are checked one at a time (P-compositionality), each with
/// <see cref="LinearizationSearch"/>. A key that is not linearizable is then shrunk to a small
/// set of operations that still cannot be ordered, and explained.
/// </summary>
public static class LinearizabilityChecker
{
    /// <summary>Checks <paramref name="history"/> against <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentException">The model cannot interpret one of the operations.</exception>
    public static CheckResult Check(History history, IModel model, CheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(model);
        options ??= CheckOptions.Default;
        foreach (var operation in history.Operations)
        {
            if (model.Unsupported(operation.Command) is { } reason)
                throw new ArgumentException($"operation {operation.Id} ({operation}): {reason}", nameof(history));
        }

        var deadline = options.TimeBudget is { } budget
            ? Stopwatch.GetTimestamp() + (long)(budget.TotalSeconds * Stopwatch.Frequency)
            : 0;
        var partitions = Partition(history).ToList();
        var models = partitions.Select(p => StartingAt(model, history, p.Key)).ToArray();
        var searches = partitions.Select((p, i) => LinearizationSearch.Start(p.Operations, models[i])).ToArray();
        var failed = RoundRobin(searches, options.MaxStepsPerKey, deadline);
        var keys = ImmutableArray.CreateBuilder<KeyCheckResult>(partitions.Count);
        for (var i = 0; i < partitions.Count; i++)
        {
            var outcome = searches[i].Outcome;
            keys.Add(new KeyCheckResult(partitions[i].Key, outcome.Verdict, partitions[i].Operations.Count, outcome.Steps));
        }
        var results = keys.ToImmutable();

        if (failed >= 0)
        {
            var (key, operations) = partitions[failed];
            var counterexample = options.Explain
                ? CounterexampleShrinker.Shrink(operations, models[failed], searches[failed].Outcome, options)
                : [];
            var explanation = options.Explain
                ? ViolationExplainer.Explain(key, counterexample, operations, models[failed])
                : $"not linearizable: key {Command.Quote(key)}";
            return new CheckResult(Verdict.NotLinearizable, results, explanation, key, counterexample);
        }

        if (results.FirstOrDefault(k => k.Verdict == Verdict.Unknown) is { } undecided)
        {
            return new CheckResult(Verdict.Unknown, results,
                $"unknown: budget exhausted on key {Command.Quote(undecided.Key)} ({undecided.Operations} operations, {undecided.Steps} steps)",
                null, []);
        }

        return new CheckResult(Verdict.Linearizable, results,
            $"linearizable: {history.Count} operations on {results.Length} keys", null, []);
    }

    /// <summary>
    /// Advances every key's search in turn, a slice of steps at a time, until all are decided
    /// or one is not linearizable; returns that one's index or -1. One violation decides the
    /// whole history, and violations are usually found fast while proving a hard key
    /// linearizable (or exhausting it) is slow, so taking turns finds the violation after
    /// (keys × its cost) steps instead of after every slower key before it. Porcupine gets the
    /// same effect from checking keys on parallel threads; turns keep the result deterministic.
    /// </summary>
    // A key the history gives an initial value to starts there instead of at the model's initial state.
    private static IModel StartingAt(IModel model, History history, string key) =>
        history.Initial.TryGetValue(key, out var value) ? new InitialValueModel(model, value) : model;

    private static int RoundRobin(LinearizationSearch[] searches, long maxStepsPerKey, long deadline)
    {
        const long SliceSteps = 1 << 14;
        var spent = 0L;
        for (var active = searches.Length; active > 0 && spent < maxStepsPerKey; spent += SliceSteps)
        {
            active = 0;
            var slice = Math.Min(SliceSteps, maxStepsPerKey - spent);
            for (var i = 0; i < searches.Length; i++)
            {
                if (searches[i].IsDecided) continue;
                if (deadline != 0 && Stopwatch.GetTimestamp() > deadline) return -1;
                searches[i].Advance(slice, deadline);
                if (searches[i].Outcome.Verdict == Verdict.NotLinearizable) return i;
                if (!searches[i].IsDecided) active++;
            }
        }
        return -1;
    }

    /// <summary>
    /// Splits the history by key, in ordinal key order, dropping gets whose result is unknown:
    /// they change nothing and observed nothing, so no order can depend on them.
    /// </summary>
    internal static IEnumerable<(string Key, List<Operation> Operations)> Partition(History history)
    {
        var byKey = new Dictionary<string, List<Operation>>(StringComparer.Ordinal);
        foreach (var operation in history.Operations)
        {
            if (operation.Command.Kind == OperationKind.Get && operation.Result.Outcome == Outcome.Unknown)
                continue;
            if (!byKey.TryGetValue(operation.Key, out var operations))
                byKey[operation.Key] = operations = [];
            operations.Add(operation);
        }
        return byKey.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => (pair.Key, pair.Value));
    }
}
