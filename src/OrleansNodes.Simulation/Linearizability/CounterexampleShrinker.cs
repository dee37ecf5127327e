namespace OrleansNodes.Simulation.Linearizability;

/// <summary>
/// Shrinks the operations of a key that is not linearizable to a small subset that still is
/// not, the way delta debugging shrinks a failing input (Zeller &amp; Hildebrandt 2002): drop
/// chunks of operations, halving the chunk size down to single operations, and keep every drop
/// after which the rest still cannot be ordered.
///
/// Dropping an operation can change what is wrong. Drop the only put of "x" from a stale read
/// and what remains fails for a new reason ("x" was never written), which would explain a
/// history the user does not have. So a drop must also keep the violation's kind:
/// <list type="bullet">
/// <item>If the violation is about when reads happened (with every get and failed cas free to
/// happen at any time, the rest can be ordered), that must stay true after the drop.</item>
/// <item>Otherwise every value a remaining operation observed must still be written by a
/// remaining operation (see <see cref="Provenance"/>).</item>
/// </list>
/// </summary>
internal static class CounterexampleShrinker
{
    public static ImmutableArray<Operation> Shrink(List<Operation> operations, IModel model, SearchOutcome failure, CheckOptions options)
    {
        var stepsPerCheck = Math.Min(options.MaxStepsPerKey, 200_000);
        var checksLeft = options.ShrinkChecksMax;

        bool Fails(List<Operation> candidate) =>
            LinearizationSearch.Run(candidate, model, stepsPerCheck).Verdict == Verdict.NotLinearizable;

        bool OrderableWithFreeReads(List<Operation> candidate) =>
            LinearizationSearch.Run(WithFreeReads(candidate), model, stepsPerCheck).Verdict == Verdict.Linearizable;

        // The search never looked past the latest return it got stuck at, so operations
        // invoked after it play no part in the violation.
        var current = operations.Where(o => o.Invoke <= failure.LatestBlockedPosition).ToList();
        if (current.Count == operations.Count || !Fails(current))
            current = [.. operations];

        var aboutReadTiming = OrderableWithFreeReads(current);
        var traceable = Provenance.IsTraceable(current);
        bool KeepsKind(List<Operation> candidate) =>
            aboutReadTiming ? OrderableWithFreeReads(candidate) : !traceable || Provenance.IsComplete(candidate, model);

        for (var chunk = Math.Max(1, current.Count / 2); checksLeft > 0; chunk /= 2)
        {
            for (var start = current.Count - chunk; start >= 0 && checksLeft > 0; start = Math.Min(start, current.Count) - chunk)
            {
                var candidate = new List<Operation>(current.Count - chunk);
                candidate.AddRange(current.Take(start));
                candidate.AddRange(current.Skip(start + chunk));
                checksLeft--;
                if (KeepsKind(candidate) && Fails(candidate))
                    current = candidate;
            }
            if (chunk == 1) break;
        }
        return [.. current.OrderBy(o => o.Invoke).ThenBy(o => o.Id)];
    }

    /// <summary>
    /// The same operations with every get and failed cas made concurrent with everything: they
    /// may happen at any point, and only the order of the operations that change the key is
    /// still bound by real time.
    /// </summary>
    private static List<Operation> WithFreeReads(List<Operation> operations) =>
        [.. operations.Select(o => (o.Command.Kind == OperationKind.Get && o.Result.Outcome == Outcome.Ok) || o.Result.Outcome == Outcome.Failed
            ? o with { Invoke = -1, Complete = long.MaxValue - 1 }
            : o)];
}
