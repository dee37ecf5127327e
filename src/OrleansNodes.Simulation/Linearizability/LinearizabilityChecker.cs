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
        var keys = ImmutableArray.CreateBuilder<KeyCheckResult>();
        (string Key, List<Operation> Operations, SearchOutcome Outcome)? failure = null;
        foreach (var (key, operations) in Partition(history))
        {
            var outcome = deadline != 0 && Stopwatch.GetTimestamp() > deadline
                ? new SearchOutcome(Verdict.Unknown, 0, long.MinValue, -1)
                : LinearizationSearch.Run(operations, model, options.MaxStepsPerKey, deadline);
            keys.Add(new KeyCheckResult(key, outcome.Verdict, operations.Count, outcome.Steps));
            if (outcome.Verdict == Verdict.NotLinearizable && failure is null)
                failure = (key, operations, outcome);
        }

        var results = keys.ToImmutable();
        if (failure is { } failed)
        {
            var counterexample = options.Explain
                ? CounterexampleShrinker.Shrink(failed.Operations, model, failed.Outcome, options)
                : [];
            var explanation = options.Explain
                ? ViolationExplainer.Explain(failed.Key, counterexample, failed.Operations, model)
                : $"not linearizable: key {Command.Quote(failed.Key)}";
            return new CheckResult(Verdict.NotLinearizable, results, explanation, failed.Key, counterexample);
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
