using OrleansNodes.Simulation.Exploration;
using OrleansNodes.Simulation.Tests.Toys;

namespace OrleansNodes.Simulation.Tests.Exploration;

public sealed class ExplorerTests
{
    private static readonly ExplorationOptions TwoNodesOneTick = new() { Nodes = 2, TicksPerNode = 1, MaxDepth = 20 };

    [Theory]
    [InlineData(SearchOrder.BreadthFirst, 1)]
    [InlineData(SearchOrder.DepthFirst, 1)]
    [InlineData(SearchOrder.BreadthFirst, 2)]
    [InlineData(SearchOrder.DepthFirst, 2)]
    public void Explore_PingOnTwoNodes_VisitsTheNineHandCountedStates(SearchOrder order, int threads)
    {
        var report = Simulator.Create(new Ping(), new Unit()).Explore(TwoNodesOneTick with { Order = order, Threads = threads });

        Assert.Null(report.Violation);
        Assert.Equal(9, report.UniqueStates);

        // From (a, b), each direction not yet delivered has one action: 3 x 2 per direction, 12 in all.
        Assert.Equal(12, report.GeneratedStates);
        Assert.Equal(4, report.Depth);
        Assert.False(report.DepthBounded);
        Assert.True(report.Passed);
    }

    [Fact]
    public void Explore_PingWithSymmetry_VisitsTheSixUnorderedPairs()
    {
        var report = Simulator.Create(new Ping(), new Unit()).Explore(TwoNodesOneTick with { Symmetry = true });

        Assert.Equal(6, report.UniqueStates);

        // Expanded once per canonical state: 00 and 01 and 11 have two actions, 02 and 12 one, 22 none.
        Assert.Equal(8, report.GeneratedStates);
    }

    [Fact]
    public void Explore_TickLeadOfOne_KeepsTheClocksWithinOneTickOfEachOther()
    {
        var options = new ExplorationOptions { Nodes = 2, TicksPerNode = 2, MaxDepth = 10 };

        var free = Simulator.Create(new Faulty(), new Unit()).Explore(options);
        var bounded = Simulator.Create(new Faulty(), new Unit()).Explore(options with { MaxTickLead = 1 });

        // The states are the tick counts (a, b), each 0..2: nine; within one tick of each other,
        // (2, 0) and (0, 2) are never reached: seven.
        Assert.Equal(9, free.UniqueStates);
        Assert.Equal(7, bounded.UniqueStates);
        Assert.Throws<ArgumentException>(() => Simulator.Create(new Faulty(), new Unit()).Explore(options with { MaxTickLead = 0 }));
    }

    [Fact]
    public void Explore_SymmetryOnAProtocolThatDoesNotDeclareIt_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Simulator.Create(new Faulty(), new Unit()).Explore(new ExplorationOptions { Symmetry = true }));

        Assert.Contains("interchangeable", error.Message);
    }

    [Fact]
    public void Explore_BrokenInvariant_GivesAShortestPathAsDecisions()
    {
        var report = Simulator.Create(new Ping(checkBothPinged: true), new Unit()).Explore(TwoNodesOneTick);

        var violation = Assert.IsType<ExplorationViolation>(report.Violation);
        Assert.Equal("not both pinged", violation.Property);
        Assert.Equal(4, violation.Actions);

        // Both ticks and both deliveries in some shortest order, each step followed by its flush;
        // a round opens the path and another ends once both nodes have ticked.
        var steps = violation.Decisions.Where(d => d.Kind != DecisionKind.Round).ToList();
        Assert.Equal(8, steps.Count);
        Assert.Equal(2, violation.Decisions.Count(d => d.Kind == DecisionKind.Round));
        Assert.Equal(DecisionKind.Round, violation.Decisions[0].Kind);
        Assert.Equal(2, steps.Count(d => d.Kind == DecisionKind.Tick));
        Assert.Contains(new Decision(DecisionKind.Deliver, 0, 1, 1), steps);
        Assert.Contains(new Decision(DecisionKind.Deliver, 1, 0, 1), steps);
        Assert.All(steps.Where((_, i) => i % 2 == 1), d => Assert.Equal(DecisionKind.Flush, d.Kind));

        // The simulator replays it to the same violation.
        var replay = Simulator.Create(new Ping(checkBothPinged: true), new Unit()).Replay(violation.Schedule!);
        Assert.Equal(0, replay.SkippedDecisions);
        Assert.Equal("not both pinged", replay.Violation?.Property);
    }

    [Theory]
    [InlineData(SearchOrder.BreadthFirst, 1)]
    [InlineData(SearchOrder.DepthFirst, 2)]
    public void Explore_PingWithNoDelays_FollowsTheDefaultScheduleAlone(SearchOrder order, int threads)
    {
        var report = Simulator.Create(new Ping(), new Unit()).Explore(TwoNodesOneTick with { MaxDelays = 0, Order = order, Threads = threads });

        // n0 ticks first (the fewest ticks, then the lowest id), its ping is delivered, then n1's
        // turn: 00, 10, 20, 21, 22 and nothing else. The other tick from 00 and from 10 is a delay.
        Assert.Null(report.Violation);
        Assert.Equal(5, report.UniqueStates);
        Assert.Equal(4, report.GeneratedStates);
        Assert.Equal(2, report.Pruned);
        Assert.True(report.Passed);
    }

    [Theory]
    [InlineData(SearchOrder.BreadthFirst, 1)]
    [InlineData(SearchOrder.DepthFirst, 2)]
    public void Explore_PingWithOneDelay_VisitsTheHandCountedStatesOfEachBudget(SearchOrder order, int threads)
    {
        var report = Simulator.Create(new Ping(), new Unit()).Explore(TwoNodesOneTick with { MaxDelays = 1, Order = order, Threads = threads });

        // No delay: the five states of the default schedule. One delay: n1 ticks first (01, then
        // 02, 12, 22 on schedule) or n1 ticks before n0's ping lands (11, then the older ping: 21,
        // 22). Eleven states, a state being what the nodes know and the delays spent. From 01 and
        // from 11 a second delay is refused.
        Assert.Equal(11, report.UniqueStates);
        Assert.Equal(11, report.GeneratedStates);
        Assert.Equal(2, report.Pruned);
        Assert.True(report.Passed);
    }

    [Fact]
    public void Explore_DelayBudgetAsLongAsThePath_FindsTheSameShortestCounterexample()
    {
        var unbounded = Simulator.Create(new Ping(checkBothPinged: true), new Unit()).Explore(TwoNodesOneTick);
        var delayed = Simulator.Create(new Ping(checkBothPinged: true), new Unit()).Explore(TwoNodesOneTick with { MaxDelays = TwoNodesOneTick.MaxDepth });

        Assert.Equal(unbounded.Violation!.Actions, delayed.Violation!.Actions);
        var replay = Simulator.Create(new Ping(checkBothPinged: true), new Unit()).Replay(delayed.Violation.Schedule!);
        Assert.Equal("not both pinged", replay.Violation?.Property);
    }

    [Theory]
    [InlineData(-1, false, "between 0 and 250")]
    [InlineData(2, true, "cannot be combined with MaxDelays")]
    public void Explore_BadDelayBudget_IsRefused(int delays, bool symmetry, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => new ExplorationOptions { MaxDelays = delays, Symmetry = symmetry }.Validate());

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Explore_PingWithAPartition_CountsEveryStateOfEachLinkAndCut()
    {
        var report = Simulator.Create(new Ping(), new Unit()).Explore(TwoNodesOneTick with { MaxPartitions = 1 });

        // Each ping is unsent, in flight, delivered, or lost (delivered while its link was cut).
        // Never cut: 3 x 3 states, none lost. Cut off n0, cut off n1, healed: 4 x 4 each.
        Assert.Null(report.Violation);
        Assert.Equal(9 + (3 * 16), report.UniqueStates);
        Assert.False(report.DepthBounded);
    }

    [Fact]
    public void Explore_PingBrokenOnlyByACut_ThePathReplaysWithTheEnginesCuts()
    {
        var report = Simulator.Create(new Ping(checkBothSentWhileCut: true), new Unit()).Explore(TwoNodesOneTick with { MaxPartitions = 1 });

        // Two ticks and a cut, in some order; the cut is one decision per direction of the link.
        var violation = Assert.IsType<ExplorationViolation>(report.Violation);
        Assert.Equal(3, violation.Actions);
        Assert.Equal(2, violation.Decisions.Count(d => d.Kind == DecisionKind.Cut));
        var replay = Simulator.Create(new Ping(checkBothSentWhileCut: true), new Unit()).Replay(violation.Schedule!);
        Assert.Equal(0, replay.SkippedDecisions);
        Assert.Equal("not both sent while cut", replay.Violation?.Property);

        // Without partitions the invariant holds everywhere.
        Assert.Null(Simulator.Create(new Ping(checkBothSentWhileCut: true), new Unit()).Explore(TwoNodesOneTick).Violation);
    }

    [Fact]
    public void Explore_PingWithQuietFaultsAndNoDelay_CutsAndHealsOnlyWhereNoPingIsInFlight()
    {
        var report = Simulator.Create(new Ping(), new Unit()).Explore(TwoNodesOneTick with { MaxPartitions = 1, MaxDelays = 0, QuietFaults = true });

        // The default schedule alone: 00, 10, 20, 21, 22, quiet at 00, 20 and 22 (0 unsent, 1 in
        // flight, 2 delivered, 3 lost). A cut of n0 at 00 runs on schedule to 10, 30, 31, 33 and
        // may heal at 00, 30 and 33; a cut of n1 likewise (5 + 5). Healed: 00 to 22 on schedule,
        // and 30, 31, 32, 33 (9). A cut at 20: 20, 21, 23 for each node, healing to 23 (6 + 1).
        // A cut at 22 (2). A cut while a ping is in flight would cost a delay: none is allowed.
        Assert.Null(report.Violation);
        Assert.Equal(5 + 10 + 9 + 7 + 2, report.UniqueStates);
        Assert.False(report.DepthBounded);

        // Without the option every cut is a delay, and none is allowed.
        Assert.Equal(5, Simulator.Create(new Ping(), new Unit()).Explore(TwoNodesOneTick with { MaxPartitions = 1, MaxDelays = 0 }).UniqueStates);
    }

    [Fact]
    public void Explore_QuietFaultsWithoutADelayBudget_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new ExplorationOptions { QuietFaults = true }.Validate());

        Assert.Contains("needs MaxDelays", error.Message);
    }

    [Fact]
    public void Explore_DepthBound_StopsAndSaysSo()
    {
        var report = Simulator.Create(new Ping(), new Unit()).Explore(TwoNodesOneTick with { MaxDepth = 2 });

        Assert.True(report.DepthBounded);
        Assert.Equal(2, report.Depth);

        // Depth 0: 00; depth 1: 10, 01; depth 2: 20, 11, 02.
        Assert.Equal(6, report.UniqueStates);
        Assert.False(report.Goals.Single(g => g.Name == "both pinged").Reached);
        Assert.False(report.Passed);
    }

    [Fact]
    public void Explore_StepThatThrows_IsAViolationAtTheFifthTick()
    {
        var report = Simulator.Create(new Faulty(), new Unit()).Explore(new ExplorationOptions { Nodes = 1, TicksPerNode = 10 });

        var violation = Assert.IsType<ExplorationViolation>(report.Violation);
        Assert.Equal("no exception in Step", violation.Property);
        Assert.Equal(5, violation.Actions);
        Assert.Contains("fifth tick", violation.Message);
    }

    [Fact]
    public void Explore_BreadthFirstCounterexample_IsAsShortAsABruteForceSearchThroughTheScriptedWorld()
    {
        var options = new ExplorationOptions { Nodes = 3, TicksPerNode = 1, MaxDepth = 10 };
        var explored = Simulator.Create(new Ping(checkBothPinged: true), new Unit()).Explore(options).Violation!;

        // Every sequence of ticks (one per node) and deliveries, replayed on the simulator's own
        // scripted world, shortest first: the explorer's engine plays no part in it.
        var shortest = Enumerable.Range(1, 8).First(depth => BruteForceFinds(new List<int>(), depth));

        Assert.Equal(shortest, explored.Actions);
    }

    /// <summary>
    /// True when some extension of <paramref name="prefix"/> to <paramref name="depth"/> actions
    /// breaks an invariant. An action is a tick of node <c>a</c> (a below 3) or the delivery of
    /// the in-flight message at index <c>a - 3</c>.
    /// </summary>
    private static bool BruteForceFinds(List<int> prefix, int depth)
    {
        var world = Simulator.Create(new Ping(checkBothPinged: true), new Unit()).CreateWorld(3);
        var ticked = new bool[3];
        try
        {
            foreach (var action in prefix) Act(world, action, ticked);
        }
        catch (SimulationFailedException)
        {
            return true;
        }

        if (prefix.Count == depth) return false;
        var choices = Enumerable.Range(0, 3).Where(n => !ticked[n]).Concat(Enumerable.Range(3, world.InFlight.Count)).ToList();
        foreach (var choice in choices)
        {
            prefix.Add(choice);
            var found = BruteForceFinds(prefix, depth);
            prefix.RemoveAt(prefix.Count - 1);
            if (found) return true;
        }

        return false;
    }

    private static void Act(World<Unit, PingState, string, string, string> world, int action, bool[] ticked)
    {
        if (action < 3)
        {
            ticked[action] = true;
            world.Tick(new NodeId(action));
            return;
        }

        var target = world.InFlight[action - 3];
        var delivered = false;
        world.Deliver(m => !delivered && m == target && (delivered = true));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void Explore_PingWithAndWithoutSymmetry_CountsEveryStateAndEveryOrbit(int nodes)
    {
        var options = new ExplorationOptions { Nodes = nodes, TicksPerNode = 1, MaxDepth = 100 };
        var ping = Simulator.Create(new Ping(), new Unit());

        var plain = ping.Explore(options);
        var reduced = ping.Explore(options with { Symmetry = true });

        // A state is, for each sender, "not yet ticked" or the set of its pings already delivered
        // (whether a node was pinged follows from those sets): (1 + 2^(n-1))^n states. Under
        // renaming, count the orbits of those assignments directly.
        var perSender = 1 + (1 << (nodes - 1));
        Assert.Equal((long)Math.Pow(perSender, nodes), plain.UniqueStates);
        Assert.Equal(Orbits(nodes), reduced.UniqueStates);
        Assert.True(reduced.Passed);
    }

    /// <summary>
    /// The number of Ping states up to renaming nodes: every assignment (sender to "not ticked" or
    /// to the set of receivers it reached) in a canonical form, the least encoding over all
    /// permutations.
    /// </summary>
    private static long Orbits(int n)
    {
        var permutations = Permutations(Enumerable.Range(0, n).ToArray()).ToList();
        var perSender = 1 + (1 << n);
        var canonical = new HashSet<string>();
        var total = (long)Math.Pow(perSender, n);
        for (var code = 0L; code < total; code++)
        {
            // Sender i: -1 for not ticked, else a bit set over the receivers (never itself).
            var assignment = new int[n];
            var rest = code;
            var valid = true;
            for (var i = 0; i < n; i++)
            {
                var value = (int)(rest % perSender) - 1;
                rest /= perSender;
                if (value >= 0 && (value & (1 << i)) != 0) valid = false;
                assignment[i] = value;
            }

            if (!valid) continue;
            canonical.Add(permutations.Select(p => Encode(assignment, p)).Min(StringComparer.Ordinal)!);
        }

        return canonical.Count;
    }

    private static string Encode(int[] assignment, int[] map)
    {
        var renamed = new int[assignment.Length];
        for (var i = 0; i < assignment.Length; i++)
        {
            var value = assignment[i];
            if (value < 0)
            {
                renamed[map[i]] = -1;
                continue;
            }

            var bits = 0;
            for (var j = 0; j < assignment.Length; j++)
                if ((value & (1 << j)) != 0) bits |= 1 << map[j];
            renamed[map[i]] = bits;
        }

        return string.Join(",", renamed);
    }

    private static IEnumerable<int[]> Permutations(int[] items)
    {
        if (items.Length <= 1)
        {
            yield return items;
            yield break;
        }

        for (var i = 0; i < items.Length; i++)
        {
            var rest = items.Where((_, k) => k != i).ToArray();
            foreach (var tail in Permutations(rest)) yield return [items[i], .. tail];
        }
    }

    [Fact]
    public void Explore_LivenessPhase_GossipHearsEveryoneFromEveryTerminalState()
    {
        var options = new ExplorationOptions { Nodes = 3, TicksPerNode = 1, MaxCrashes = 1, MaxDepth = 30, LivenessRounds = 4 };

        var report = Simulator.Create(new Gossip(), new Unit()).Explore(options);

        Assert.Null(report.Violation);
        Assert.True(report.Goals.Single(g => g.Kind == PropertyKind.Eventually).Reached);
    }

    [Fact]
    public void Explore_LivenessPhase_MuteGossipFailsAndTheScheduleReplaysTheFailure()
    {
        var options = new ExplorationOptions { Nodes = 2, TicksPerNode = 1, MaxDepth = 10, LivenessRounds = 3 };

        var violation = Simulator.Create(new Gossip(mute: true), new Unit()).Explore(options).Violation!;
        var replay = Simulator.Create(new Gossip(mute: true), new Unit()).Replay(violation.Schedule!);

        Assert.Equal("everyone heard everyone", violation.Property);
        Assert.Equal(PropertyKind.Eventually, violation.Kind);
        Assert.Contains(new Decision(DecisionKind.Live), violation.Decisions);
        Assert.Equal(0, replay.SkippedDecisions);
        Assert.Equal("everyone heard everyone", replay.Violation?.Property);
    }

    [Fact]
    public void Explore_DepthFirstOnTwoThreads_StopsAtAViolationAndItsPathReplays()
    {
        var options = new ExplorationOptions { Nodes = 3, TicksPerNode = 1, MaxDepth = 20, Order = SearchOrder.DepthFirst, Threads = 2 };

        var violation = Simulator.Create(new Ping(checkBothPinged: true), new Unit()).Explore(options).Violation!;
        var replay = Simulator.Create(new Ping(checkBothPinged: true), new Unit()).Replay(violation.Schedule!);

        Assert.Equal("not both pinged", violation.Property);
        Assert.Equal("not both pinged", replay.Violation?.Property);
    }
}
