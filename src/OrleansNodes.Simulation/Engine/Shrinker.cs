namespace OrleansNodes.Simulation.Engine;

/// <summary>
/// Delta debugging (Zeller and Hildebrandt, "Simplifying and Isolating Failure-Inducing Input",
/// 2002, the ddmin algorithm) over a run's decisions: repeatedly delete chunks of the schedule,
/// keeping any deletion after which the replay still violates the same property, refining the
/// chunks until no single decision can go. A replay skips decisions that no longer apply, so
/// every candidate is a legal schedule.
/// </summary>
internal static class Shrinker
{
    /// <summary>
    /// Shrinks <paramref name="decisions"/>. <paramref name="replay"/> returns the decisions the
    /// candidate's replay actually applied up to the violation when it still fails the same way,
    /// else null. Stops when <paramref name="budget"/> replays are spent.
    /// </summary>
    public static List<Decision> Minimize(List<Decision> decisions, Func<List<Decision>, List<Decision>?> replay, int budget)
    {
        var current = decisions;
        var granularity = 2;
        while (current.Count >= 2 && budget > 0)
        {
            var chunk = (current.Count + granularity - 1) / granularity;
            var reduced = false;
            for (var start = 0; start < current.Count && budget > 0; start += chunk)
            {
                var candidate = new List<Decision>(current.Count);
                candidate.AddRange(current.GetRange(0, start));
                var end = Math.Min(current.Count, start + chunk);
                candidate.AddRange(current.GetRange(end, current.Count - end));
                budget--;
                if (replay(candidate) is { } smaller && smaller.Count < current.Count)
                {
                    current = smaller;
                    granularity = Math.Max(granularity - 1, 2);
                    reduced = true;
                    break;
                }
            }

            if (!reduced)
            {
                if (granularity >= current.Count) break;
                granularity = Math.Min(current.Count, granularity * 2);
            }
        }

        return current;
    }
}
