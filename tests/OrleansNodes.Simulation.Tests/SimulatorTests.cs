using OrleansNodes.Simulation.Tests.Toys;

namespace OrleansNodes.Simulation.Tests;

public class SimulatorTests
{
    private static readonly SimulationOptions _quiet = SimulationOptions.Default with { SaveSchedule = false, CheckDeterminism = false };

    private static string Schedule<TS, TState, TM, TReq, TRep>(Simulator<TS, TState, TM, TReq, TRep> sim, ulong seed, SimulationOptions options)
        where TState : class =>
        string.Join("\n", sim.RecordInputs(seed, options).Inputs.Select(i => $"{i.Node} {i.Input}"));

    [Fact]
    public void Run_SameSeed_IdenticalReportAndSchedule()
    {
        var sim = Simulator.Create(new MiniPaxos(), PaxosSettings.Default);
        var options = _quiet with { Nodes = 4, Steps = 2_000, Faults = FaultKinds.All };

        var first = sim.Run(7, options);
        var second = sim.Run(7, options);

        Assert.True(first.Passed, first.ToString());
        Assert.Equal(first.ToString(), second.ToString());
        Assert.Equal(first.Decisions, second.Decisions);
        Assert.Equal(Schedule(sim, 7, options), Schedule(sim, 7, options));
    }

    [Fact]
    public void Run_DifferentSeeds_DifferentSchedules()
    {
        var sim = Simulator.Create(new Relay(), Unit.Value);
        var options = _quiet with { Nodes = 3, Steps = 500 };

        Assert.NotEqual(Schedule(sim, 1, options), Schedule(sim, 2, options));
    }

    [Fact]
    public void Run_FifoOrder_DeliversInSendOrder()
    {
        var sim = Simulator.Create(new Relay(), Unit.Value);
        var options = _quiet with { Nodes = 3, Steps = 3_000, Order = DeliveryOrder.Fifo };

        var suite = sim.RunSuite(20, options);

        suite.ThrowIfFailed();
        Assert.Equal(20, Assert.Single(suite.Goals, g => g.Name == "a peer received 5").RunsReached);
    }

    [Fact]
    public void Run_RandomOrder_ReordersMessages()
    {
        var sim = Simulator.Create(new Relay(), Unit.Value);
        var options = _quiet with { Nodes = 3, Steps = 3_000, Order = DeliveryOrder.Random };

        var suite = sim.RunSuite(20, options);

        Assert.False(suite.Passed);
        Assert.Equal("received in order", suite.Violation!.Property);
    }

    [Fact]
    public void Run_FifoWithReorderFault_ReordersMessages()
    {
        var sim = Simulator.Create(new Relay(), Unit.Value);
        var options = _quiet with { Nodes = 3, Steps = 3_000, Order = DeliveryOrder.Fifo, Faults = FaultKinds.Reorder };

        Assert.Equal("received in order", sim.RunSuite(20, options).Violation?.Property);
    }

    [Fact]
    public void Run_NoFaults_NothingLostDuplicatedCrashedOrCut()
    {
        var sim = Simulator.Create(new Relay(), Unit.Value);
        var report = sim.Run(3, _quiet with { Nodes = 5, Steps = 5_000, Order = DeliveryOrder.Fifo });

        Assert.True(report.Passed, report.ToString());
        Assert.Equal((0, 0, 0, 0, 0, 0), (report.Drops, report.Duplicates, report.Lost, report.Crashes, report.Restarts, report.Cuts));
        Assert.True(report.Deliveries > 1_000);
    }

    [Theory]
    [InlineData(FaultKinds.Drop)]
    [InlineData(FaultKinds.Duplicate)]
    [InlineData(FaultKinds.Partition)]
    [InlineData(FaultKinds.Crash)]
    public void Run_FaultEnabled_FaultHappensAndNoOther(FaultKinds fault)
    {
        var sim = Simulator.Create(new Gossip(), Unit.Value);
        var report = sim.Run(11, _quiet with { Nodes = 5, Steps = 5_000, Faults = fault });

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(fault == FaultKinds.Drop, report.Drops > 0);
        Assert.Equal(fault == FaultKinds.Duplicate, report.Duplicates > 0);
        Assert.Equal(fault == FaultKinds.Partition, report.Cuts > 0);
        Assert.Equal(fault == FaultKinds.Crash, report.Crashes > 0);
        Assert.Equal(fault == FaultKinds.Crash, report.Restarts > 0);
        Assert.Equal(fault == FaultKinds.Crash, report.LostSteps > 0);
        Assert.Equal(fault is FaultKinds.Crash or FaultKinds.Partition, report.Lost > 0);
    }

    [Fact]
    public void Run_Skew_NodesTickAtDifferentRates()
    {
        var sim = Simulator.Create(new Gossip(), Unit.Value);
        var options = _quiet with { Nodes = 5, Steps = 5_000, LivenessRounds = 0 };

        int Spread(FaultKinds faults)
        {
            var world = sim.RecordInputs(5, options with { Faults = faults });
            var ticks = world.Inputs.Where(i => i.Input is Input<GossipMessage, string>.Tick).GroupBy(i => i.Node).Select(g => g.Count()).ToArray();
            return ticks.Max() - ticks.Min();
        }

        Assert.True(Spread(FaultKinds.None) <= 1);
        Assert.True(Spread(FaultKinds.Skew) > 20);
    }

    [Fact]
    public void RunSuite_PlantedBug_CaughtShrunkSavedAndReplayed()
    {
        var directory = Directory.CreateTempSubdirectory("on-sim-").FullName;
        try
        {
            var sim = Simulator.Create(new Election(), ElectionSettings.Default);
            var options = SimulationOptions.Default with { Nodes = 5, Steps = 3_000, Faults = FaultKinds.All, ScheduleDirectory = directory, CheckDeterminism = false };

            var suite = sim.RunSuite(50, options);

            var violation = Assert.IsType<Violation>(suite.Violation);
            Assert.Equal("one leader per term", violation.Property);
            Assert.True(violation.Schedule.Decisions.Length * 4 <= violation.OriginalDecisions,
                $"shrunk {violation.OriginalDecisions} decisions only to {violation.Schedule.Decisions.Length}");
            Assert.Contains("!! Always 'one leader per term' violated", violation.Trace);
            Assert.Contains("term: 0 → 1", violation.Trace);
            Assert.Contains(violation.SchedulePath!, violation.ReplayCommand!);

            var loaded = OrleansNodes.Simulation.Schedule.Load(violation.SchedulePath!);
            Assert.Equal(violation.Schedule.Decisions.ToArray(), loaded.Decisions.ToArray());
            var replay = sim.Replay(loaded);
            Assert.Equal("one leader per term", replay.Violation?.Property);
            Assert.Equal(violation.Trace, replay.Violation!.Trace);
            Assert.Throws<SimulationFailedException>(suite.ThrowIfFailed);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void RunSuite_Parallel_SameReportAsSequential()
    {
        // Rare duplicates are the only way to break the relay's order under FIFO: some seeds pass.
        var sim = Simulator.Create(new Relay(), Unit.Value);
        var options = _quiet with { Steps = 3_000, Order = DeliveryOrder.Fifo, Faults = FaultKinds.Duplicate, DuplicatePercent = 0.05 };

        var sequential = sim.RunSuite(40, options);
        var parallel = sim.RunSuite(40, options with { Parallelism = 4 });

        Assert.Equal("received in order", sequential.Violation?.Property);
        Assert.True(sequential.Runs > 1, $"failed already at seed {sequential.Violation!.Seed}");
        Assert.Equal((sequential.Runs, sequential.Steps, sequential.Deliveries), (parallel.Runs, parallel.Steps, parallel.Deliveries));
        Assert.Equal(sequential.Violation!.Seed, parallel.Violation!.Seed);
        Assert.Equal(sequential.Violation.Trace, parallel.Violation.Trace);
    }

    [Fact]
    public void Run_RareDuplicateLateInALongRun_ShrunkToAHandfulOfDecisions()
    {
        // Under FIFO only a duplicate can put the relay's numbers out of order; at 0.01% of
        // deliveries the first one comes tens of thousands of decisions in. Deleting that history
        // shifts every message's ordinal, which the shrinker must see through.
        var sim = Simulator.Create(new Relay(), Unit.Value);
        var options = _quiet with
        {
            Steps = 100_000,
            Order = DeliveryOrder.Fifo,
            Faults = FaultKinds.Crash | FaultKinds.Partition | FaultKinds.Duplicate,
            DuplicatePercent = 0.01,
        };

        var violation = sim.Run(0, options).Violation;

        Assert.Equal("received in order", violation?.Property);
        Assert.True(violation!.OriginalDecisions > 10_000);
        Assert.True(violation.Schedule.Decisions.Length <= 8, violation.ToString());
        Assert.True(violation.Schedule.Decisions.Any(d => d.Kind == DecisionKind.Duplicate), violation.ToString());
        Assert.Equal("received in order", sim.Replay(violation.Schedule).Violation?.Property);
    }

    [Fact]
    public void Run_StepThrows_ReportedAsViolation()
    {
        var sim = Simulator.Create(new Faulty(), Unit.Value);

        var report = sim.Run(1, _quiet);

        Assert.Equal("no exception in Step", report.Violation?.Property);
        Assert.Contains("fifth tick", report.Violation!.Message);
        // The node that threw ticked five times; every other node ticked in each round that ended
        // (the scheduler's tick rate, which a shrunk schedule keeps: its rounds take the ticks they
        // owe, so the schedule need not name them).
        var ticks = sim.Explain(report.Violation.Schedule).Events.Where(e => e.Kind == DecisionKind.Tick).ToList();
        Assert.Equal(5, ticks.Count(e => e.Node == ticks[^1].Node));
        Assert.True(report.Violation.Schedule.Decisions.Count(d => d.Kind == DecisionKind.Tick) < ticks.Count, "the shrunk schedule names ticks its rounds owe anyway");
        // Four rounds owe the node four ticks; the fifth is the one decision named besides them.
        Assert.Equal(["round", "round", "round", "round", $"tick n{ticks[^1].Node}"], report.Violation.Schedule.Decisions.Select(d => d.ToString()));
    }

    [Fact]
    public void RunSuite_SometimesGoalNeverReached_FailsNamingIt()
    {
        var sim = Simulator.Create(new Gossip(false, Property.Sometimes<GossipState>("someone ticks 10000 times", o => o.States.Any(s => s.Ticks >= 10_000))), Unit.Value);

        var suite = sim.RunSuite(5, _quiet with { Steps = 300 });

        Assert.False(suite.Passed);
        Assert.Null(suite.Violation);
        Assert.Contains("'someone ticks 10000 times' was never reached in 5 runs", suite.Failure);
        Assert.Equal(0, Assert.Single(suite.Goals).RunsReached);
    }

    [Fact]
    public void RunSuite_SometimesGoalReached_CountsRuns()
    {
        var sim = Simulator.Create(new Gossip(false, Property.Sometimes<GossipState>("someone ticks 100 times", o => o.States.Any(s => s.Ticks >= 100))), Unit.Value);
        var progress = new List<SuiteProgress>();

        var suite = sim.RunSuite(4, _quiet with { Steps = 2_000 }, firstSeed: 10, new SynchronousProgress<SuiteProgress>(progress.Add));

        suite.ThrowIfFailed();
        Assert.Equal(4, Assert.Single(suite.Goals).RunsReached);
        Assert.Equal([1, 2, 3, 4], progress.Select(p => p.RunsCompleted));
        Assert.True(suite.Steps >= 4 * 2_000);
    }

    [Fact]
    public void Run_EventuallyAfterHealing_PassesDespiteFaults()
    {
        var sim = Simulator.Create(new Gossip(), Unit.Value);

        var suite = sim.RunSuite(20, _quiet with { Nodes = 4, Steps = 1_000, Faults = FaultKinds.All, FaultEventPercent = 5 });

        suite.ThrowIfFailed();
    }

    [Fact]
    public void Run_EventuallyNeverTrue_FailsLivenessPhaseNamingIt()
    {
        var sim = Simulator.Create(new Gossip(mute: true), Unit.Value);

        var report = sim.Run(1, _quiet with { LivenessRounds = 50 });

        Assert.Equal("everyone heard everyone", report.Violation?.Property);
        Assert.Equal(PropertyKind.Eventually, report.Violation!.Kind);
        Assert.Contains("did not hold within 50 rounds after the network healed", report.Violation.Message);
        Assert.Equal("everyone heard everyone", sim.Replay(report.Violation.Schedule).Violation?.Property);
    }

    [Fact]
    public void Run_CrashedNodesStayDownForLiveness_EventuallyFails()
    {
        // A failure detector's view: with the dead left dead, the cluster never becomes healthy.
        var healthy = Property.Eventually<GossipState>("healthy for 5 rounds", o => o.HealthyForTime >= 5);
        var sim = Simulator.Create(new Gossip(false, healthy), Unit.Value);
        var options = _quiet with { Nodes = 5, Steps = 3_000, Faults = FaultKinds.Crash, FaultEventPercent = 5, LivenessRounds = 30 };

        sim.RunSuite(10, options).ThrowIfFailed();
        var suite = sim.RunSuite(10, options with { RestartCrashedForLiveness = false });

        Assert.Equal("healthy for 5 rounds", suite.Violation?.Property);
    }

    [Fact]
    public void Run_EveryObservation_SeesThePreviousStateAsBeforeAndCountsStepsAndTime()
    {
        // A monitor that remembers the last states it saw: the engine must hand every property
        // the stepped node's previous state as Before, count steps one by one, never move time
        // backwards, and show a crashed node's persisted state.
        var consistent = Property.Monitor<GossipState, (GossipState[] Last, long Step, long Time, bool Ok)>(
            "observations are consistent",
            PropertyKind.Always,
            ([], 0, 0, true),
            (ghost, o) =>
            {
                var ok = ghost.Ok && o.Time >= ghost.Time
                         && (o.Stepped is not { } node
                             ? o.Step == ghost.Step && o.Before is null
                             : o.Step == ghost.Step + 1 && (ghost.Last.Length == 0 || ReferenceEquals(ghost.Last[node.Value], o.Before)));
                return ([.. o.States], o.Step, o.Time, ok);
            },
            (ghost, _) => ghost.Ok);
        var sim = Simulator.Create(new Gossip(false, consistent), Unit.Value);

        sim.RunSuite(10, _quiet with { Nodes = 4, Steps = 2_000, Faults = FaultKinds.All, FaultEventPercent = 5 }).ThrowIfFailed();
    }

    [Fact]
    public void CheckDeterminism_ClockReadingProtocol_ReportsDivergence()
    {
        var sim = Simulator.Create(new Clocked(), Unit.Value);

        var report = sim.CheckDeterminism(3, _quiet);

        Assert.False(report.IsDeterministic);
        Assert.StartsWith("nondeterministic: run 3 and its replay diverged at step ", report.Message);
        Assert.Contains("state differs: lastTickAt: ", report.Message);
    }

    [Fact]
    public void CheckDeterminism_PureProtocol_Deterministic()
    {
        var sim = Simulator.Create(new Election(), ElectionSettings.Default);

        var report = sim.CheckDeterminism(3, _quiet with { Nodes = 5, Faults = FaultKinds.All });

        Assert.True(report.IsDeterministic, report.Message);
        Assert.True(report.Steps >= 1_000);
    }

    [Fact]
    public void RunSuite_ClockReadingProtocol_FailsSelfCheck()
    {
        var sim = Simulator.Create(new Clocked(), Unit.Value);

        var suite = sim.RunSuite(3, SimulationOptions.Default);

        Assert.StartsWith("nondeterministic:", suite.Failure);
        Assert.Equal(0, suite.Runs);
    }

    [Fact]
    public void Run_InvalidOptions_ThrowsNamingTheOption()
    {
        var sim = Simulator.Create(new Relay(), Unit.Value);

        var error = Assert.Throws<ArgumentException>(() => sim.Run(1, SimulationOptions.Default with { MaxBatchSteps = 0 }));

        Assert.Contains("MaxBatchSteps", error.Message);
    }

    [Fact]
    public void RecordInputs_BareLoop_StepsEveryRecordedInput()
    {
        var sim = Simulator.Create(new Relay(), Unit.Value);
        var options = _quiet with { Nodes = 5, Steps = 2_000 };

        var recording = sim.RecordInputs(9, options);

        Assert.Equal(sim.Run(9, options).Steps, recording.Inputs.Length);
        Assert.Equal(recording.Inputs.Length, recording.RunBareLoop());
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; tests want the calls in order, now.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
