using OrleansNodes.Simulation.Tests.Toys;

namespace OrleansNodes.Simulation.Tests;

public class WorldTests
{
    private static readonly NodeId _n0 = new(0);
    private static readonly NodeId _n1 = new(1);
    private static readonly NodeId _n2 = new(2);

    [Fact]
    public void Crash_AfterUnflushedSteps_LosesExactlyThoseStepsAndTheirMessages()
    {
        var world = Simulator.Create(new Relay(), Unit.Value).CreateWorld(nodes: 3);
        world.AutoFlush = false;

        world.Tick(_n0, 3).Flush(_n0);
        Assert.Equal(6, world.InFlight.Count);
        world.Tick(_n0, 2);
        Assert.Equal(5, world[_n0].Sent);
        Assert.Equal(3, world.Flushed[0].Sent);
        Assert.Equal(6, world.InFlight.Count);

        world.Crash(_n0);

        Assert.False(world.IsUp(_n0));
        Assert.Same(world.Flushed[0], world[_n0]);
        Assert.Equal(3, world[_n0].Sent);
        Assert.Equal(6, world.InFlight.Count);

        world.Restart(_n0).Tick(_n0).Flush(_n0);
        Assert.Equal(4, world[_n0].Sent);
        Assert.Equal([1, 1, 2, 2, 3, 3, 4, 4], world.InFlight.Select(e => ((RelayMessage.Number)e.Message).Value));
    }

    [Fact]
    public void Deliver_ToCrashedNode_IsLost()
    {
        var world = Simulator.Create(new Relay(), Unit.Value).CreateWorld(nodes: 3);

        world.Tick(_n0, 2).Crash(_n1);
        Assert.Equal(4, world.DeliverAll());

        Assert.Equal(0, world[_n1].Received);
        Assert.Equal(2, world[_n2].Received);
        world.Restart(_n1).Tick(_n0).DeliverAll();
        Assert.Equal((1, 3), (world[_n1].Received, world[_n1].Last));
    }

    [Fact]
    public void Cut_OneWay_LosesOnlyThatDirection()
    {
        var world = Simulator.Create(new Gossip(), Unit.Value).CreateWorld(nodes: 2);

        world.Cut(_n0, _n1).TickAll(1).DeliverAll();

        Assert.Equal(0L, world[_n1].Heard);
        Assert.Equal(1L << 1, world[_n0].Heard);
        Assert.Equal(-1, world.HealthyForTime);
        world.Heal().TickAll(1).DeliverAll();
        Assert.Equal(1L << 0, world[_n1].Heard);
        Assert.Equal(1, world.HealthyForTime);
    }

    [Fact]
    public void HealthyForTime_CrashAndRestart_CountsRoundsSinceAllUp()
    {
        var world = Simulator.Create(new Gossip(), Unit.Value).CreateWorld(nodes: 3);

        world.TickAll(2);
        Assert.Equal(2, world.HealthyForTime);
        world.Crash(_n1).TickAll(3);
        Assert.Equal(-1, world.HealthyForTime);
        world.Restart(_n1).TickAll(4);

        Assert.Equal(4, world.HealthyForTime);
        Assert.Equal(9, world.Time);
    }

    [Fact]
    public void Isolate_ThenHeal_EveryoneHearsEveryoneAgain()
    {
        var world = Simulator.Create(new Gossip(), Unit.Value).CreateWorld(nodes: 3);

        world.Isolate(_n2).RunRounds(5);
        Assert.Equal(0L, world[_n2].Heard);
        Assert.False(world.Reached("everyone heard everyone"));

        world.Heal().RunRounds(2);
        Assert.Equal(0b011L, world[_n2].Heard);
        Assert.Equal(5 + 2, world.Time);
        Assert.True(world.Reached("everyone heard everyone"));
    }

    [Fact]
    public void Partition_TwoSides_NoMessageCrosses()
    {
        var world = Simulator.Create(new Gossip(), Unit.Value).CreateWorld(nodes: 3);

        world.Partition([_n0, _n1], [_n2]).RunRounds(3);

        Assert.Equal((0b010L, 0b001L, 0L), (world[_n0].Heard, world[_n1].Heard, world[_n2].Heard));
    }

    [Fact]
    public void Deliver_Predicate_DeliversOnlyMatchingMessages()
    {
        var world = Simulator.Create(new Relay(), Unit.Value).CreateWorld(nodes: 3);

        world.Tick(_n0, 3);
        var delivered = world.Deliver(e => e.To == _n2 && ((RelayMessage.Number)e.Message).Value >= 2);

        Assert.Equal(2, delivered);
        Assert.Equal((0, 2, 3), (world[_n1].Received, world[_n2].Received, world[_n2].Last));
        Assert.Equal(4, world.InFlight.Count);
    }

    [Fact]
    public void Duplicate_ThenDeliverAll_DeliversBothCopies()
    {
        var world = Simulator.Create(new Relay(), Unit.Value).CreateWorld(nodes: 2);

        world.Tick(_n0);
        Assert.Equal(1, world.Duplicate(_ => true));
        Assert.Equal(1, world.Drop(_ => false) + 1);

        var error = Assert.Throws<SimulationFailedException>(() => world.DeliverAll());

        Assert.Equal("received in order", error.Violation?.Property);
        Assert.Contains("dup n0->n1 #1", error.Message);
        Assert.Contains("deliver n0->n1 #1", error.Message);
        Assert.Contains("outOfOrder: False → True", error.Message);
    }

    [Fact]
    public void Request_RepliesReachClientsOnlyWhenFlushed()
    {
        var world = Simulator.Create(new Relay(), Unit.Value).CreateWorld(nodes: 2);
        world.AutoFlush = false;

        world.Tick(_n1, 2).Request(new ClientId(7), 1, _n1, "ticks?");
        Assert.Empty(world.Replies);

        world.Flush(_n1);

        Assert.Equal(new ClientReply<int>(new ClientId(7), 1, 2), Assert.Single(world.Replies));
    }

    [Fact]
    public void Request_ToCrashedNode_IsLost()
    {
        var world = Simulator.Create(new Relay(), Unit.Value).CreateWorld(nodes: 2);

        world.Crash(_n1).Request(new ClientId(7), 1, _n1, "ticks?").Restart(_n1).Flush(_n1);

        Assert.Empty(world.Replies);
    }

    [Fact]
    public void Trace_Script_OneLinePerDecisionWithDiffs()
    {
        var world = Simulator.Create(new Election(), ElectionSettings.Default).CreateWorld(nodes: 3);

        world.Tick(_n1, 10);
        var trace = world.Trace();

        Assert.Contains("tick n1  | n1: timer: 0/", trace);
        Assert.Equal(world.Decisions.Count + 1, trace.Split(Environment.NewLine).Length);
    }

    [Fact]
    public void Tick_PlantedBugScripted_ThrowsWithTrace()
    {
        var world = Simulator.Create(new Election(), ElectionSettings.Default).CreateWorld(nodes: 3);

        // n0 and n1 both time out before hearing each other: two leaders of term 1.
        world.Tick(_n0, 30);
        var error = Assert.Throws<SimulationFailedException>(() => world.Tick(_n1, 30));

        Assert.Equal("one leader per term", error.Violation!.Property);
        Assert.Contains("| n1: term: 0 → 1, leader: False → True", error.Message);
        Assert.Null(error.Violation.SchedulePath);
    }

    [Fact]
    public void DeliverAll_MessagesInFlight_DeliversAllAndReturnsCount()
    {
        var world = Simulator.Create(new Gossip(), Unit.Value).CreateWorld(nodes: 2);
        world.TickAll(3);

        Assert.Equal(6, world.DeliverAll(maxDeliveries: 6));
        Assert.Equal(0, world.DeliverAll());
    }
}
