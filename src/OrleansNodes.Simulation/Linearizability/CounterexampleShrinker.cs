namespace OrleansNodes.Simulation.Linearizability;

/// <summary>
/// Shrinks the operations of a key that is not linearizable to a small subset that still is
/// not, the way delta debugging shrinks a failing input (Zeller &amp; Hildebrandt 2002): drop
/// chunks of operations, halving the chunk size, and keep every drop after which the rest
/// still cannot be ordered.
///
/// Dropping an operation can change what is wrong. Drop the only put of "x" from a stale read
/// and what remains fails for a new reason ("x" was never written), which would explain a
/// history the user does not have. So the shrinker first asks whether the violation is about
/// time or about values: ignoring real time (every operation concurrent with every other), is
/// there any order at all? If there is, the violation is about real time, and a drop is kept
/// only if the rest can still be ordered once time is ignored.
/// </summary>
internal static class CounterexampleShrinker
{
    public static ImmutableArray<Operation> Shrink(List<Operation> operations, IModel model, SearchOutcome failure, CheckOptions options)
    {
        var stepsPerCheck = Math.Min(options.MaxStepsPerKey, 1_000_000);
        var checksLeft = options.ShrinkChecksMax;

        bool Fails(List<Operation> candidate) =>
            LinearizationSearch.Run(candidate, model, stepsPerCheck).Verdict == Verdict.NotLinearizable;

        bool OrderableIgnoringTime(List<Operation> candidate) =>
            LinearizationSearch.Run(Timeless(candidate), model, stepsPerCheck).Verdict == Verdict.Linearizable;

        // The search never looked past the latest return it got stuck at, so operations
        // invoked after it play no part in the violation.
        var current = operations.Where(o => o.Invoke <= failure.LatestBlockedPosition).ToList();
        if (current.Count == operations.Count || !Fails(current))
            current = [.. operations];

        var aboutTime = OrderableIgnoringTime(current);
        for (var chunk = Math.Max(1, current.Count / 2); chunk >= 1 && checksLeft > 0; chunk /= 2)
        {
            for (var start = current.Count - chunk; start >= 0 && checksLeft > 0; start = Math.Min(start, current.Count) - chunk)
            {
                var candidate = new List<Operation>(current.Count - chunk);
                candidate.AddRange(current.Take(start));
                candidate.AddRange(current.Skip(start + chunk));
                checksLeft--;
                if (Fails(candidate) && (!aboutTime || OrderableIgnoringTime(candidate)))
                    current = candidate;
            }
            if (chunk == 1) break;
        }
        return [.. current.OrderBy(o => o.Invoke).ThenBy(o => o.Id)];
    }

    /// <summary>The same operations with real time erased: all invoked together, all completing together.</summary>
    private static List<Operation> Timeless(List<Operation> operations) =>
        [.. operations.Select(o => o with { Invoke = 0, Complete = o.Complete is null ? null : 1 })];
}
