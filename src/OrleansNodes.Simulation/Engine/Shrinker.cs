namespace OrleansNodes.Simulation.Engine;

/// <summary>
/// Delta debugging (Zeller and Hildebrandt, "Simplifying and Isolating Failure-Inducing Input",
/// 2002, the ddmin algorithm) over a run's decisions, at coarse grains first: whole rounds, then
/// the contents of rounds (keeping the time step), then fault episodes (a crash with its restart, the cuts of a partition with their heal), then
/// single decisions. Each pass repeatedly deletes chunks of its units, keeping any deletion after
/// which the replay still fails the same way, refining the chunks down to single units. Passes
/// repeat while any of them makes progress; while replays are left, further descents from the
/// start take the grains in other orders, and the shortest result is kept. A replay skips decisions that no longer apply or that
/// the run's model forbids, so every candidate is an execution the options allow; and a
/// <c>round</c> does the work its round owes (requests, due messages, ticks) without naming it, so
/// deleting that work from a schedule costs nothing and the result names only what was chosen.
/// </summary>
/// <remarks>
/// Coarse grains matter because single deletions rarely succeed on their own in a round model:
/// removing one delivery or crash shifts what every later round does, while removing a round's
/// whole contents leaves a round that does what it owes, as the scheduler would have.
/// </remarks>
internal static class Shrinker
{
    /// <summary>
    /// Shrinks <paramref name="decisions"/>. <paramref name="replay"/> returns the decisions the
    /// candidate's replay actually applied (up to the violation) when it still fails the same way,
    /// else null. Stops when <paramref name="budget"/> replays are spent, and leaves what is left of it there.
    /// </summary>
    public static List<Decision> Minimize(List<Decision> decisions, Func<List<Decision>, List<Decision>?> replay, ref int budget)
    {
        // ddmin is greedy: which deletion succeeds first decides which minimum it ends in. While
        // replays are left, descend again from the unshrunk schedule with the grains in another
        // order, and keep the shortest.
        List<Decision>? best = null;
        foreach (var order in Orders)
        {
            if (best is not null && budget <= 0) break;
            var found = Descend(decisions, order, replay, ref budget);
            if (best is null || found.Count < best.Count) best = found;
        }

        return best!;
    }

    /// <summary>The orders of grains the descents take, coarse to fine within each.</summary>
    private static readonly Func<List<Decision>, List<List<int>>>[][] Orders =
    [
        [Rounds, RoundContents, FaultEpisodes, Singles],
        [FaultEpisodes, Rounds, RoundContents, Singles],
        [RoundContents, FaultEpisodes, Rounds, Singles],
        [RoundContents, Rounds, FaultEpisodes, Singles],
    ];

    private static List<Decision> Descend(
        List<Decision> decisions, Func<List<Decision>, List<List<int>>>[] grains, Func<List<Decision>, List<Decision>?> replay, ref int budget)
    {
        var current = decisions;
        while (budget > 0)
        {
            var before = current.Count;
            foreach (var grain in grains) current = Reduce(current, grain, replay, ref budget);
            if (current.Count >= before) break;
        }

        return current;
    }

    /// <summary>
    /// ddmin over the units <paramref name="partition"/> finds in the current schedule, swept from
    /// the end: a successful deletion keeps the sweep going from where it was (units are re-found
    /// after it) instead of starting over, so one sweep costs one replay per chunk however many
    /// deletions succeed. A sweep with no success refines the chunks; one with successes repeats.
    /// </summary>
    private static List<Decision> Reduce(
        List<Decision> current, Func<List<Decision>, List<List<int>>> partition, Func<List<Decision>, List<Decision>?> replay, ref int budget)
    {
        var granularity = 2;
        while (budget > 0)
        {
            var units = partition(current);
            if (units.Count == 0) break;
            granularity = Math.Min(granularity, units.Count);
            var chunk = (units.Count + granularity - 1) / granularity;
            var reduced = false;

            // Later chunks first: the end of a schedule is where its violation is, and deleting
            // there first leaves less for every later replay.
            for (var start = (units.Count - 1) / chunk * chunk; start >= 0 && budget > 0; start -= chunk)
            {
                if (start >= units.Count) continue;
                var removed = new HashSet<int>();
                for (var u = start; u < Math.Min(units.Count, start + chunk); u++) removed.UnionWith(units[u]);
                var candidate = new List<Decision>(current.Count - removed.Count);
                for (var i = 0; i < current.Count; i++)
                    if (!removed.Contains(i)) candidate.Add(current[i]);
                budget--;
                if (replay(candidate) is not { } smaller || smaller.Count >= current.Count) continue;
                current = smaller;
                reduced = true;
                units = partition(current);
                if (units.Count == 0) break;
            }

            if (units.Count == 0) break;
            if (!reduced)
            {
                if (granularity >= units.Count) break;
                granularity = Math.Min(units.Count, granularity * 2);
            }
        }

        return current;
    }

    /// <summary>Every round: its decisions up to and including the <c>round</c> that ends it (the tail after the last one is a unit too).</summary>
    private static List<List<int>> Rounds(List<Decision> decisions)
    {
        var units = new List<List<int>>();
        var unit = new List<int>();
        for (var i = 0; i < decisions.Count; i++)
        {
            unit.Add(i);
            if (decisions[i].Kind != DecisionKind.Round) continue;
            units.Add(unit);
            unit = [];
        }

        if (unit.Count > 0) units.Add(unit);
        return units.Count > 1 ? units : [];
    }

    /// <summary>
    /// What happens within a round, without the <c>round</c> itself: deleting it keeps the time step
    /// but leaves only what the round cannot end without (the replay completes it: requests land,
    /// due messages arrive, owed ticks are taken), dropping optional deliveries, ticks and flushes at once.
    /// </summary>
    private static List<List<int>> RoundContents(List<Decision> decisions)
    {
        var units = new List<List<int>>();
        var unit = new List<int>();
        for (var i = 0; i < decisions.Count; i++)
        {
            if (decisions[i].Kind != DecisionKind.Round)
            {
                unit.Add(i);
                continue;
            }

            if (unit.Count > 0) units.Add(unit);
            unit = [];
        }

        if (unit.Count > 0) units.Add(unit);
        return units;
    }

    /// <summary>A crash with the restart of the same node that follows it; a run of cuts with the heal that ends them.</summary>
    private static List<List<int>> FaultEpisodes(List<Decision> decisions)
    {
        var units = new List<List<int>>();
        var cuts = new List<int>();
        for (var i = 0; i < decisions.Count; i++)
        {
            var decision = decisions[i];
            switch (decision.Kind)
            {
                case DecisionKind.Crash:
                    var episode = new List<int> { i };
                    for (var j = i + 1; j < decisions.Count; j++)
                    {
                        if (decisions[j].Kind != DecisionKind.Restart || decisions[j].Node != decision.Node) continue;
                        episode.Add(j);
                        break;
                    }

                    units.Add(episode);
                    break;
                case DecisionKind.Cut:
                    cuts.Add(i);
                    break;
                case DecisionKind.Heal:
                    cuts.Add(i);
                    units.Add(cuts);
                    cuts = [];
                    break;
            }
        }

        if (cuts.Count > 0) units.Add(cuts);
        return units;
    }

    private static List<List<int>> Singles(List<Decision> decisions)
    {
        var units = new List<List<int>>(decisions.Count);
        for (var i = 0; i < decisions.Count; i++) units.Add([i]);
        return units;
    }
}
