using OrleansNodes.Simulation.Tests.Toys;

namespace OrleansNodes.Simulation.Tests;

/// <summary>
/// A replayed schedule of a random run must be an execution the run's options allow, exactly as
/// the scheduler guarantees it: otherwise shrinking could "find" a bug by starving a node of ticks
/// (a failure detector then suspects a live peer) or by crashing a node with more unflushed work
/// than a batch holds. An explored schedule (<c>"model": "explored"</c>) is held to no round model.
/// </summary>
public class ModelEnforcementTests
{
    // A mute gossip sends nothing, so its rounds wait for ticks only; the relay's n0 sends on every tick.
    private static readonly Simulator<Unit, GossipState, GossipMessage, string, string> _mute = Simulator.Create(new Gossip(mute: true), Unit.Value);
    private static readonly Simulator<Unit, RelayState, RelayMessage, string, int> _relay = Simulator.Create(new Relay(), Unit.Value);

    private static Schedule Of(SimulationOptions options, params string[] decisions) => new()
    {
        Protocol = "mute-gossip",
        Seed = 1,
        Options = options with { CheckDeterminism = false, SaveSchedule = false, LivenessRounds = 0 },
        Decisions = [.. decisions.Select(Decision.Parse)],
    };

    [Fact]
    public void Replay_RoundBeforeEveryNodeTicked_TheRoundTicksTheRestFirst()
    {
        // A round cannot end before every node up all round has ticked: it takes the ticks owed.
        var report = _mute.Replay(Of(SimulationOptions.Default, "tick n0", "tick n1", "round"));

        Assert.Equal(0, report.SkippedDecisions);
        Assert.Equal(3, report.Ticks);
        Assert.Equal(1, report.Rounds);
    }

    [Fact]
    public void Replay_RoundsAlone_EveryNodeTicksOncePerRound()
    {
        var report = _mute.Replay(Of(SimulationOptions.Default, "round", "round", "round"));

        Assert.Equal(0, report.SkippedDecisions);
        Assert.Equal(9, report.Ticks);
    }

    [Fact]
    public void Replay_OwedWorkAndTheSameWorkNamed_SameRun()
    {
        // A round's owed work is what the scheduler's end of round does, in its order: requests in
        // the order sent, due messages oldest first, then ticks by node id.
        var relay = Of(SimulationOptions.Default, "tick n0", "round", "round", "round") with { Protocol = "relay" };
        var named = Of(SimulationOptions.Default, "tick n0", "tick n1", "tick n2", "round", "deliver n0->n1 #1", "deliver n0->n2 #1", "tick n0", "tick n1", "tick n2", "round", "deliver n0->n1 #2", "deliver n0->n2 #2", "tick n0", "tick n1", "tick n2", "round") with { Protocol = "relay" };

        var owed = _relay.Explain(relay);
        var spelled = _relay.Explain(named);

        Assert.Equal(0, owed.SkippedDecisions);
        Assert.Equal(0, spelled.SkippedDecisions);
        Assert.Equal(spelled.Events.Select(e => e.Label), owed.Events.Select(e => e.Label));
        Assert.Equal(string.Join(" / ", spelled.FinalStates), string.Join(" / ", owed.FinalStates));
        Assert.Equal(12, owed.Events.Count(e => e.Owed));
    }

    [Fact]
    public void Replay_EveryNodeTickedOncePerRound_AllApply()
    {
        var report = _mute.Replay(Of(SimulationOptions.Default, "tick n0", "tick n1", "tick n2", "round", "tick n2", "tick n1", "tick n0", "round"));

        Assert.Equal(0, report.SkippedDecisions);
        Assert.Equal(2, report.Rounds);
    }

    [Fact]
    public void Replay_ViolationInWorkTheRoundOwed_FoundThereAndTheRoundApplies()
    {
        // Faulty throws on a node's fifth tick: five bare rounds owe it.
        var faulty = Simulator.Create(new Faulty(), Unit.Value);
        var schedule = Of(SimulationOptions.Default with { Faults = FaultKinds.None }, "round", "round", "round", "round", "round", "round") with { Protocol = "faulty" };

        var report = faulty.Replay(schedule);
        var explained = faulty.Explain(schedule);

        Assert.Equal("no exception in Step", report.Violation?.Property);
        Assert.Equal(0, report.SkippedDecisions);
        var violation = explained.Events[explained.Violation!.EventIndex];
        Assert.True(violation.Owed);
        Assert.Equal("tick n0", violation.Label);
        Assert.Equal(4, violation.Index);
    }

    [Fact]
    public void Replay_BareRoundsUnderSkew_Format2TicksEveryOtherRoundFormat3EveryRoundFormat4TwiceARound()
    {
        // Faulty throws on a node's fifth tick. A /4 round gives every node the two ticks skew
        // allows, a /3 round one; a /2 round only the ticks the model demands, every other round.
        var faulty = Simulator.Create(new Faulty(), Unit.Value);
        var skewed = SimulationOptions.Default with { Faults = FaultKinds.Skew, Nodes = 1 };
        var rounds = Of(skewed, [.. Enumerable.Repeat("round", 10)]) with { Protocol = "faulty" };
        var format2 = Schedule.Parse(rounds.ToJson().Replace("orleansnodes-schedule/4", "orleansnodes-schedule/2", StringComparison.Ordinal));

        var fast = faulty.Replay(rounds);
        var nominal = faulty.Replay(rounds with { FastClocks = false });
        var everyOther = faulty.Replay(format2);

        Assert.Equal("no exception in Step", fast.Violation?.Property);
        Assert.Equal("no exception in Step", nominal.Violation?.Property);
        Assert.Equal("no exception in Step", everyOther.Violation?.Property);
        Assert.Equal(2, fast.Rounds); // ticks 1-2, 3-4, then the fifth in the third round
        Assert.Equal(4, nominal.Rounds); // the fifth tick is in the fifth round
        Assert.Equal(9, everyOther.Rounds); // ticks in rounds 1, 3, 5, 7, 9
        Assert.DoesNotContain("deterministic", everyOther.Violation!.Message, StringComparison.Ordinal);
        Assert.False(everyOther.Violation.Schedule.NamedRests);
    }

    [Fact]
    public void Replay_SkewedNodeRestsTwoRoundsInARow_SecondRestDoesNotApply()
    {
        // With skew a node's rate is 0.5x..2x, carried as credit: it may skip one round, never two.
        var skewed = SimulationOptions.Default with { Faults = FaultKinds.Skew };

        var report = _mute.Replay(Of(skewed, "rest n2", "round", "rest n2", "round"));

        Assert.Equal(1, report.SkippedDecisions);
        Assert.Equal("decision 2 'rest n2'", report.FirstSkipped);
        Assert.Equal(10, report.Ticks); // two a round for every node, but n2 in the first
    }

    [Fact]
    public void Replay_RoundsUnderSkew_EveryNodeTicksTwiceARoundUnlessItRests()
    {
        // Under skew a round owes the fastest rate the model allows, and a node that ran slower
        // says so: `rest` after no tick (a silent round) or after one.
        var skewed = SimulationOptions.Default with { Faults = FaultKinds.Skew };

        Assert.Equal(12, _mute.Replay(Of(skewed, "round", "round")).Ticks);
        Assert.Equal(10, _mute.Replay(Of(skewed, "round", "rest n1", "round")).Ticks);
        Assert.Equal(11, _mute.Replay(Of(skewed, "round", "tick n1", "rest n1", "round")).Ticks);
        Assert.Equal(1, _mute.Replay(Of(SimulationOptions.Default, "rest n1", "round")).SkippedDecisions);
        Assert.Equal(5, _mute.Replay(Of(skewed, "round", "rest n1", "round") with { FastClocks = false }).Ticks); // format /3: one a round

        var explained = _mute.Explain(Of(skewed, "rest n1", "round"));
        Assert.Equal(["rest n1", "tick n0", "tick n0", "tick n2", "tick n2", "round"], explained.Events.Select(e => e.Label));
        Assert.Equal([false, true, true, true, true, false], explained.Events.Select(e => e.Owed));
    }

    [Fact]
    public void Replay_ScheduleOfFormat2UnderSkew_ARoundOwesOnlyTheTicksTheModelDemands()
    {
        // Formats /1 and /2 have no `rest`: every tick is named, and a silent node is one without ticks.
        var skewed = SimulationOptions.Default with { Faults = FaultKinds.Skew };
        var written = Of(skewed, "tick n0", "tick n1", "round", "tick n0", "tick n1", "round").ToJson();
        Assert.Contains("\"orleansnodes-schedule/4\"", written, StringComparison.Ordinal);
        var json = written.Replace("orleansnodes-schedule/4", "orleansnodes-schedule/2", StringComparison.Ordinal);
        var path = Path.Combine(Path.GetTempPath(), $"format2-{Environment.ProcessId}.schedule.json");
        File.WriteAllText(path, json);
        var loaded = Schedule.Load(path);
        File.Delete(path);

        var report = _mute.Replay(loaded);

        Assert.False(loaded.NamedRests);
        Assert.Equal(0, report.SkippedDecisions);
        Assert.Equal(5, report.Ticks); // n2 silent in the first round, owed its tick in the second
    }

    [Fact]
    public void Replay_MessagesNoDelayHolds_OwedByTheEndOfTheRoundAfterTheirSend()
    {
        // n0 sends a number on every tick, released by the round's flush. A round owes every
        // message sent before the previous one that no `delay` holds back, as the run's scheduler
        // delivers one it drew no delay for; older formats hold each until the bound runs out.
        var reordering = SimulationOptions.Default with { Faults = FaultKinds.Reorder, Nodes = 2, MaxDelayRounds = 4 };
        var rounds = Of(reordering, "round", "round", "round") with { Protocol = "relay" };

        Assert.Equal(2, _relay.Replay(rounds).Deliveries);
        Assert.Equal(0, _relay.Replay(rounds with { NamedDelays = false }).Deliveries);
    }

    [Fact]
    public void Replay_DelayedMessage_OwedOnlyOnceItsDelayRunsOut()
    {
        var reordering = SimulationOptions.Default with { Faults = FaultKinds.Reorder, Nodes = 2, MaxDelayRounds = 4 };
        var held = Of(reordering, "round", "delay n0->n1 #1 +2", "round", "round", "round") with { Protocol = "relay" };

        var report = _relay.Replay(held);
        var explained = _relay.Explain(held);

        Assert.Equal(0, report.SkippedDecisions);
        var owed = explained.Events.Where(e => e.Owed && e.Kind == DecisionKind.Deliver).Select(e => (e.Label, e.Round));
        Assert.Equal([("deliver n0->n1 #2", 2L), ("deliver n0->n1 #1", 3L)], owed); // 1 after 2: out of order
        Assert.Equal("received in order", report.Violation?.Property);
        Assert.Contains("held until round 2", explained.Events.Single(e => e.Kind == DecisionKind.Delay).Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FaultKinds.Reorder, "delay n0->n1 #1 +5")] // past MaxDelayRounds
    [InlineData(FaultKinds.Drop, "delay n0->n1 #1 +1")]    // no reordering in this run
    [InlineData(FaultKinds.Reorder, "delay n0->n1 #9 +1")] // no such message
    public void Replay_DelayTheModelForbids_DoesNotApply(FaultKinds faults, string delay)
    {
        var options = SimulationOptions.Default with { Faults = faults, Nodes = 2, MaxDelayRounds = 4 };

        var report = _relay.Replay(Of(options, "round", delay, "round") with { Protocol = "relay" });

        Assert.Equal(1, report.SkippedDecisions);
        Assert.Equal($"decision 1 '{delay}'", report.FirstSkipped);
    }

    [Fact]
    public void Run_WithReorderAndSkew_NamesTheDelaysAndSlowClocksItDrewAndItsScheduleReplaysExactly()
    {
        // The relay's numbers arrive out of order only when some are held back; with skew most
        // rounds give a node one tick, not the two a round owes, and the run says so.
        var options = SimulationOptions.Default with { Faults = FaultKinds.Reorder | FaultKinds.Skew, Nodes = 2, Shrink = false, SaveSchedule = false, CheckDeterminism = false };

        var run = _relay.RunSuite(50, options).Violation!;
        var replay = _relay.Replay(run.Schedule);

        Assert.Contains(run.Schedule.Decisions, d => d.Kind == DecisionKind.Delay);
        Assert.Contains(run.Schedule.Decisions, d => d.Kind == DecisionKind.Rest);
        Assert.Equal(ScheduleReading.Current, run.Schedule.Reading);
        Assert.Equal(0, replay.SkippedDecisions);
        Assert.Equal(run.Property, replay.Violation?.Property);
        Assert.Equal(run.Schedule.Decisions.Length, replay.Decisions);
    }

    [Fact]
    public void Replay_CrashedNode_OwesNoTicks()
    {
        var crashing = SimulationOptions.Default with { Faults = FaultKinds.Crash };

        var report = _mute.Replay(Of(crashing, "crash n2", "tick n0", "tick n1", "round", "tick n0", "tick n1", "round"));

        Assert.Equal(0, report.SkippedDecisions);
    }

    [Fact]
    public void Replay_TickRightAfterARestartInTheSameRound_DoesNotApply()
    {
        // The scheduler gives a node its ticks when a round begins; a node restarted mid-round has none left.
        var crashing = SimulationOptions.Default with { Faults = FaultKinds.Crash };

        var report = _mute.Replay(Of(crashing, "crash n2", "restart n2", "tick n2"));

        Assert.Equal("decision 2 'tick n2'", report.FirstSkipped);
    }

    [Fact]
    public void Replay_StepPastAFullBatch_DoesNotApplyUntilTheNodeFlushes()
    {
        var batchOfOne = SimulationOptions.Default with { MaxBatchSteps = 1, Faults = FaultKinds.Skew };

        var report = _mute.Replay(Of(batchOfOne, "tick n0", "tick n0", "flush n0", "tick n0"));

        Assert.Equal(1, report.SkippedDecisions);
        Assert.Equal("decision 1 'tick n0'", report.FirstSkipped);
    }

    [Fact]
    public void Replay_DropWithoutTheDropFault_DoesNotApply()
    {
        var schedule = Of(SimulationOptions.Default, "tick n0", "flush n0", "drop n0->n1 #1") with { Protocol = "relay" };

        var report = _relay.Replay(schedule);

        Assert.Equal("decision 2 'drop n0->n1 #1'", report.FirstSkipped);
        Assert.Equal(0, _relay.Replay(schedule with { Options = schedule.Options with { Faults = FaultKinds.Drop } }).SkippedDecisions);
    }

    [Fact]
    public void Replay_LiveWhileAPartitionLasts_DoesNotApply()
    {
        var partitioned = SimulationOptions.Default with { Faults = FaultKinds.Partition };

        var report = _mute.Replay(Of(partitioned, "cut n0->n1", "live", "heal", "live"));

        Assert.Equal(1, report.SkippedDecisions);
        Assert.Equal("decision 1 'live'", report.FirstSkipped);
    }

    [Fact]
    public void Replay_ExploredSchedule_NoRoundModel()
    {
        // An explorer's schedule: three ticks of one node in one round, no round-end flush.
        var explored = Of(SimulationOptions.Default, "round", "tick n0", "tick n0", "tick n0", "flush n0") with { Model = ScheduleModel.Explored };

        var report = _mute.Replay(explored);

        Assert.Equal(0, report.SkippedDecisions);
        Assert.Equal(3, report.Ticks);
        // As a random run's schedule, the first round ticks every node (owed) and a node ticks once a round.
        Assert.Equal(2, _mute.Replay(explored with { Model = ScheduleModel.Random }).SkippedDecisions);
    }

    [Theory]
    [InlineData(FaultKinds.All)]
    [InlineData(FaultKinds.All & ~FaultKinds.Skew)]
    public void Replay_UnshrunkRandomRuns_EveryDecisionApplies(FaultKinds faults)
    {
        // The model a replay enforces is exactly what the scheduler guarantees: every decision of
        // a random run, with every fault, applies. A gossip fails "fewer than 600 ticks" late.
        var gossip = Simulator.Create(new Gossip(false, Property.Always<GossipState>("fewer than 600 ticks", o => o.States.Sum(s => s.Ticks) < 600)), Unit.Value);
        var options = SimulationOptions.Default with
        {
            Nodes = 4, Steps = 5_000, Faults = faults, FaultEventPercent = 5, Shrink = false, SaveSchedule = false, CheckDeterminism = false, MaxBatchSteps = 3,
        };

        for (var seed = 1UL; seed <= 20; seed++)
        {
            var violation = gossip.Run(seed, options).Violation!;
            Assert.Equal("fewer than 600 ticks", violation.Property);

            var replay = gossip.Replay(violation.Schedule);

            Assert.True(replay.SkippedDecisions == 0, $"seed {seed}: {replay.SkippedDecisions} skipped, first {replay.FirstSkipped}");
            Assert.Equal(violation.Signature, replay.Violation?.Signature);
        }
    }
}
