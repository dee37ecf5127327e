namespace OrleansNodes.Simulation.Linearizability;

/// <summary>
/// Shrinks the operations of a key that is not linearizable to a small subset that still is
/// not, the way delta debugging shrinks a failing input (Zeller &amp; Hildebrandt 2002): drop
/// chunks of operations, halving the chunk size down to single operations, and keep every drop
/// after which the rest still cannot be ordered.
///
/// Dropping a read only removes a constraint, so a sub-history that still fails shows that the
/// whole history fails. Dropping a write is different: drop the only put of "x" from a stale
/// read and what remains fails for a new reason ("x" was never written), explaining a history
/// the user does not have. So a write may only be dropped once no remaining read has it as its
/// source (see <see cref="Provenance.Sources"/>).
///
/// Order matters for cost: first what the search never reached (the tail), then the longest
/// droppable prefix by binary search (violations are usually local, and every later check
/// gets cheaper), then reads, then whatever writes no remaining read observes.
/// </summary>
internal static class CounterexampleShrinker
{
    public static ImmutableArray<Operation> Shrink(List<Operation> operations, IModel model, SearchOutcome failure, CheckOptions options)
    {
        // Shrinking is a courtesy: bound it so that explaining never costs more than a few
        // million search steps, whatever the history.
        var stepsPerCheck = Math.Min(options.MaxStepsPerKey, Math.Max(100_000, 2 * failure.Steps));
        var stepsLeft = Math.Max(4_000_000L, 10 * stepsPerCheck);
        var checksLeft = options.ShrinkChecksMax;
        var observers = Provenance.Sources(operations, model);
        var alive = new bool[operations.Count];

        bool Fails(List<int> candidate)
        {
            var outcome = LinearizationSearch.Run([.. candidate.Select(i => operations[i])], model, Math.Min(stepsPerCheck, stepsLeft));
            stepsLeft -= outcome.Steps;
            if (stepsLeft <= 0) checksLeft = 0;
            return outcome.Verdict == Verdict.NotLinearizable;
        }

        // Whether every dropped write is unobservable by the reads that remain.
        bool CanDrop(List<int> current, IEnumerable<int> dropped)
        {
            Array.Clear(alive);
            foreach (var i in current) alive[i] = true;
            foreach (var i in dropped) alive[i] = false;
            foreach (var i in dropped)
            {
                foreach (var reader in observers[i])
                    if (alive[reader]) return false;
            }
            return true;
        }

        var current = Enumerable.Range(0, operations.Count).ToList();

        // The search never looked past the latest return it got stuck at, so operations
        // invoked after it play no part in the violation.
        var late = current.Where(i => operations[i].Invoke > failure.LatestBlockedPosition).ToList();
        if (late.Count > 0 && CanDrop(current, late))
        {
            var early = current.Except(late).ToList();
            if (Fails(early)) current = early;
        }

        // The longest prefix that can go (checks get cheaper as the history gets shorter),
        // then reads (dropping them is always sound), then whatever no remaining read observes.
        current = DropPrefix(current);
        current = Reduce(current, i => !operations[i].Command.IsMutation || operations[i].Result.Outcome == Outcome.Failed);
        current = DropPrefix(current);
        current = Reduce(current, _ => true);
        return [.. current.Select(i => operations[i]).OrderBy(o => o.Invoke).ThenBy(o => o.Id)];

        // Binary search for the longest prefix (in invocation order) whose removal keeps the failure.
        List<int> DropPrefix(List<int> current)
        {
            var ordered = current.OrderBy(i => operations[i].Invoke).ToList();
            var (keep, drop) = (0, ordered.Count);
            while (keep < drop && checksLeft > 0)
            {
                var mid = (keep + drop + 1) / 2;
                var prefix = ordered.GetRange(0, mid);
                var rest = ordered.GetRange(mid, ordered.Count - mid);
                checksLeft--;
                if (CanDrop(current, prefix) && Fails(rest)) keep = mid;
                else drop = mid - 1;
            }
            return keep == 0 ? current : ordered.GetRange(keep, ordered.Count - keep);
        }

        // Delta debugging's complement reduction over the eligible operations of current.
        List<int> Reduce(List<int> current, Func<int, bool> eligible)
        {
            var pool = current.Where(eligible).ToList();
            for (var chunk = Math.Max(1, pool.Count / 2); checksLeft > 0 && pool.Count > 0; chunk = Math.Max(1, chunk / 2))
            {
                for (var start = pool.Count - chunk; start >= 0 && checksLeft > 0; start = Math.Min(start, pool.Count) - chunk)
                {
                    var dropped = pool.GetRange(start, chunk);
                    if (!CanDrop(current, dropped)) continue;
                    var droppedSet = dropped.ToHashSet();
                    var candidate = current.Where(i => !droppedSet.Contains(i)).ToList();
                    checksLeft--;
                    if (!Fails(candidate)) continue;
                    current = candidate;
                    pool.RemoveRange(start, chunk);
                }
                if (chunk == 1) break;
            }
            return current;
        }
    }
}
