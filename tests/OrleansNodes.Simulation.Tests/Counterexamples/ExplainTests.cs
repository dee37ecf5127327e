using OrleansNodes.Simulation.Counterexamples;
using OrleansNodes.Simulation.Tests.Toys;

namespace OrleansNodes.Simulation.Tests.Counterexamples;

/// <summary>
/// <see cref="ISimulation.Explain"/> on scripted schedules of <see cref="Relay"/>, whose "received
/// in order" fails as soon as n1 gets a number after a larger one.
/// </summary>
public class ExplainTests
{
    private static readonly SimulationOptions _options = SimulationOptions.Default with
    {
        Nodes = 2,
        Faults = FaultKinds.Reorder | FaultKinds.Drop | FaultKinds.Crash | FaultKinds.Partition,
        SaveSchedule = false,
    };

    /// <summary>n0 sends 1, 2, 3 to n1; the network holds 1 and 2 back, drops 1 and delivers 3 before 2.</summary>
    internal static Schedule OutOfOrder(SimulationOptions? options = null) => Script(
        options ?? _options,
        "tick n0", "round",                 // 1 leaves with the round's flush
        "delay n0->n1 #1 +2",               // not due by the next round's end, so that round does not deliver it
        "tick n0", "flush n0",              // 2 leaves with an explicit flush
        "delay n0->n1 #2 +1",
        "round",
        "tick n0", "flush n0",              // 3
        "drop n0->n1 #1",
        "deliver n0->n1 #3",
        "deliver n0->n1 #2");               // 2 after 3: out of order

    [Fact]
    public void Explain_DeliveredMessage_LinkedToTheFlushThatReleasedIt()
    {
        var counterexample = Relay().Explain(OutOfOrder());

        var delivery = counterexample.Events.Single(e => e.Label == "deliver n0->n1 #3");
        var release = Assert.Single(counterexample.Events, e => e.Sends.Any(s => s.MessageId == delivery.MessageId));
        Assert.Equal("flush n0", release.Label);
        var send = release.Sends.Single(s => s.MessageId == delivery.MessageId);
        Assert.Equal((0, 1, 3L), (send.From, send.To, send.Ordinal));
        Assert.Equal(TraceOutcome.Delivered, delivery.Outcome);
        Assert.Equal("Number { Value = 3 }", delivery.Message);
        Assert.Equal(send.Message, delivery.Message);
    }

    [Fact]
    public void Explain_MessageReleasedByARound_LinkedToTheRound()
    {
        var counterexample = Relay().Explain(OutOfOrder());

        var drop = counterexample.Events.Single(e => e.Label == "drop n0->n1 #1");
        var release = Assert.Single(counterexample.Events, e => e.Sends.Any(s => s.MessageId == drop.MessageId));
        Assert.Equal(DecisionKind.Round, release.Kind);
        Assert.True(release.Index < drop.Index);
    }

    [Fact]
    public void Explain_DroppedMessage_MarkedDroppedWithNoStateChange()
    {
        var counterexample = Relay().Explain(OutOfOrder());

        var drop = counterexample.Events.Single(e => e.Kind == DecisionKind.Drop);
        Assert.Equal(TraceOutcome.Dropped, drop.Outcome);
        Assert.Equal("Number { Value = 1 }", drop.Message);
        Assert.Empty(drop.Changes);
    }

    [Fact]
    public void Explain_DeliveryStep_ChangesListedMemberByMember()
    {
        var counterexample = Relay().Explain(OutOfOrder());

        var delivery = counterexample.Events.Single(e => e.Label == "deliver n0->n1 #3");
        Assert.Contains(new StateChange(1, "last", "0", "3"), delivery.Changes);
        Assert.Contains(new StateChange(1, "received", "0", "1"), delivery.Changes);
        Assert.All(delivery.Changes, c => Assert.Equal(1, c.Node));
        Assert.Contains("deliver n0->n1 #3", delivery.Text);
    }

    [Fact]
    public void Explain_Violation_LastEventAndNamed()
    {
        var counterexample = Relay().Explain(OutOfOrder());

        var violation = Assert.IsType<TraceViolation>(counterexample.Violation);
        Assert.Equal("received in order", violation.Property);
        Assert.Equal(PropertyKind.Always, violation.Kind);
        Assert.Equal(counterexample.Events.Length - 1, violation.EventIndex);
        Assert.Equal("deliver n0->n1 #2", counterexample.Events[^1].Label);
        Assert.Contains(new StateChange(1, "outOfOrder", "False", "True"), counterexample.Events[^1].Changes);
        Assert.Contains("OutOfOrder = True", counterexample.FinalStates[1]);
        Assert.Contains("OutOfOrder = False", counterexample.InitialStates[1]);
    }

    [Fact]
    public void Explain_EveryEvent_InScheduleOrderWithItsRound()
    {
        var schedule = OutOfOrder();
        var counterexample = Relay().Explain(schedule);

        var named = counterexample.Events.Where(e => !e.Owed).ToList();
        Assert.Equal(schedule.Decisions.Select(d => d.ToString()), named.Select(e => e.Label));
        Assert.Equal(Enumerable.Range(0, schedule.Decisions.Length), named.Select(e => e.Index));
        Assert.Equal([0L, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2], named.Select(e => e.Round));

        // The schedule never names n1's ticks: each round takes the one n1 owes before it ends,
        // shown as an event of its own just before the round's.
        var owed = counterexample.Events.Where(e => e.Owed).ToList();
        Assert.All(owed, e => Assert.Equal("tick n1", e.Label));
        Assert.Equal([1, 6], owed.Select(e => e.Index));
        Assert.Equal([0L, 1], owed.Select(e => e.Round));
        Assert.Equal(2, counterexample.Nodes);
        Assert.Equal(2, counterexample.InitialStates.Length);
        Assert.Equal(0, counterexample.SkippedDecisions);
    }

    [Fact]
    public void Explain_LostToACutLinkAndToADownNode_MarkedDistinctly()
    {
        var schedule = Script(
            _options with { Nodes = 3 },
            "tick n0", "flush n0",
            "cut n0->n1",
            "deliver n0->n1 #1",
            "heal", "round",
            "tick n0", "flush n0",
            "crash n2",
            "deliver n0->n2 #2",
            "restart n2");

        var counterexample = Relay().Explain(schedule);

        Assert.Equal(TraceOutcome.LostLinkCut, counterexample.Events.Single(e => e.Label == "deliver n0->n1 #1").Outcome);
        Assert.Equal(TraceOutcome.LostNodeDown, counterexample.Events.Single(e => e.Label == "deliver n0->n2 #2").Outcome);
        Assert.All(counterexample.Events.Where(e => e.Kind == DecisionKind.Deliver), e => Assert.Empty(e.Changes));
        Assert.Null(counterexample.Violation);
    }

    [Fact]
    public void Explain_DuplicatedMessage_KeepsItsIdAndIsDeliveredTwice()
    {
        var schedule = Script(_options, "tick n0", "flush n0", "dup n0->n1 #1", "deliver n0->n1 #1", "deliver n0->n1 #1");

        var counterexample = Relay().Explain(schedule);

        var duplicate = counterexample.Events.Single(e => e.Kind == DecisionKind.Duplicate);
        Assert.Equal(TraceOutcome.Duplicated, duplicate.Outcome);
        var deliveries = counterexample.Events.Where(e => e.Kind == DecisionKind.Deliver).ToList();
        Assert.Equal(2, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal(duplicate.MessageId, d.MessageId));
        Assert.Empty(duplicate.Sends);
        Assert.Single(counterexample.Events.SelectMany(e => e.Sends));
    }

    [Fact]
    public void Explain_ClientsOfARandomRun_RequestsAndRepliesOnTheirLanesAndTheVerdictAtTheEnd()
    {
        // The workload fails every run at its end: the schedule is the whole run, clients included.
        var sim = Simulator.Create(new Relay(), Unit.Value)
            .WithWorkload(setup => new Clients(setup, clients: 2, operations: 2, timeoutRounds: 50, failWith: "the clients disagree"));
        var options = SimulationOptions.Default with { Nodes = 3, Steps = 300, SaveSchedule = false, Shrink = false, Order = DeliveryOrder.Fifo };
        var schedule = sim.Run(3, options).Violation!.Schedule;

        var counterexample = sim.Explain(schedule);

        Assert.Equal([0L, 1], counterexample.Clients.AsEnumerable());
        var requests = counterexample.Events.SelectMany(e => e.Requests).ToList();
        var replies = counterexample.Events.SelectMany(e => e.Replies).ToList();
        Assert.Equal(4, requests.Count);
        Assert.Equal(4, replies.Count);
        Assert.All(counterexample.Events.Where(e => e.Kind == DecisionKind.Request), e =>
        {
            Assert.Equal(TraceOutcome.Delivered, e.Outcome);
            Assert.Equal("ticks?", e.Message);
        });
        Assert.All(replies, r => Assert.Contains(requests, q => q.Client == r.Client && q.Sequence == r.Sequence && q.Node == r.Node));
        Assert.Equal(new TraceViolation("workload", PropertyKind.Always, "the clients disagree", counterexample.Violation!.Step, -1), counterexample.Violation);
    }

    [Fact]
    public void Explain_ScheduleOfAnotherProtocol_Refused()
    {
        var schedule = OutOfOrder() with { Protocol = "paxos" };

        Assert.Throws<ScheduleFormatException>(() => Relay().Explain(schedule));
    }

    private static ISimulation Relay() => Simulator.Create(new Relay(), Unit.Value);

    private static Schedule Script(SimulationOptions options, params string[] decisions) => new()
    {
        Protocol = "relay",
        Seed = 1,
        Options = options,
        Decisions = [.. decisions.Select(Decision.Parse)],
    };
}
