using OrleansNodes.Core;
using OrleansNodes.Simulation;
using OrleansNodes.Simulation.Exploration;
using Xunit;

namespace Examples.MaxGossip.Tests;

public class MaxGossipTests
{
    private static readonly MaxSettings Settings = new(GossipEveryTicks: 3);

    [Fact]
    public void Gossip_IsolatedNodeHeals_LearnsTheLargestValue()
    {
        var world = Simulator.Create(new MaxGossip(), Settings).CreateWorld(nodes: 3, seed: 1);
        var n0 = new NodeId(0);

        // Cut n0 off; the others share what they know, n0 hears nothing.
        world.Isolate(n0).RunRounds(10);
        Assert.Equal(0, world[n0].Value);
        Assert.Equal(20, world[new NodeId(1)].Value);

        // Heal: within one gossip interval and one hop, n0 knows the largest value.
        world.Heal().RunRounds(Settings.GossipEveryTicks + 1);
        Assert.All(world.States, s => Assert.Equal(20, s.Value));
    }

    [Fact]
    public void Gossip_ThousandSeedsWithEveryFault_HoldsItsProperties()
    {
        var simulator = Simulator.Create(new MaxGossip(), Settings);
        var options = SimulationOptions.Default with { Nodes = 5, Steps = 300, Faults = FaultKinds.All };

        var report = simulator.RunSuite(seeds: 1_000, options);

        report.ThrowIfFailed();
        Assert.Equal(1_000, report.Runs);
    }

    /// <summary>A broken variant: it believes any gossip, even a smaller value.</summary>
    private sealed class Gullible : Protocol<MaxSettings, MaxState, MaxMessage, MaxCommand, MaxReply>
    {
        private static readonly MaxGossip Inner = new();

        public override string Name => "gullible-max-gossip";

        public override MaxState Init(NodeConfig<MaxSettings> config) => Inner.Init(config);

        public override IReadOnlyList<Property<MaxState>> Properties => Inner.Properties;

        public override MaxState Step(StepContext<MaxSettings, MaxMessage, MaxReply> context, MaxState state, Input<MaxMessage, MaxCommand> input) =>
            input is Input<MaxMessage, MaxCommand>.Receive { Message: MaxMessage.Gossip gossip }
                ? state with { Value = gossip.Value }
                : Inner.Step(context, state, input);
    }

    [Fact]
    public void Gossip_GullibleVariant_IsCaughtWithAShortTrace()
    {
        var simulator = Simulator.Create(new Gullible(), Settings);
        var options = SimulationOptions.Default with { Nodes = 3, Steps = 200, SaveSchedule = false };

        var report = simulator.RunSuite(seeds: 50, options);

        Assert.False(report.Passed);
        Assert.Equal("a node's value never decreases", report.Violation!.Property);
        Assert.True(report.Violation.Schedule.Decisions.Length <= 40, report.Violation.ToString());
    }

    [Fact]
    public void Gossip_GullibleVariant_ReplaysFromItsSavedSchedule()
    {
        var directory = Directory.CreateTempSubdirectory("max-gossip-").FullName;
        var options = SimulationOptions.Default with { Nodes = 3, Steps = 200, ScheduleDirectory = directory };
        var found = Simulator.Create(new Gullible(), Settings).RunSuite(seeds: 50, options).Violation!;

        // The report's last line is this call, with the schedule's path filled in.
        var replay = Simulator.Create(new Gullible(), Settings).Replay(Schedule.Load(found.SchedulePath!));

        Assert.Equal(found.Trace, replay.Violation!.Trace);
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public void Gossip_EveryInterleavingWithACrash_HoldsItsPropertiesAndReachesItsGoal()
    {
        // Every order of every step: one gossip round per node, any delivery order, one crash and restart.
        var options = new ExplorationOptions { Nodes = 3, TicksPerNode = 3, MaxCrashes = 1, MaxDepth = 40, Threads = 2 };

        var report = Simulator.Create(new MaxGossip(), Settings).Explore(options);

        Assert.True(report.Passed, report.Violation?.Message);
        Assert.False(report.DepthBounded);
    }

    [Fact]
    public void Gossip_GullibleVariant_ExploredToAShortestCounterexampleThatReplays()
    {
        var options = new ExplorationOptions { Nodes = 3, TicksPerNode = 3, MaxDepth = 20 };

        var found = Simulator.Create(new Gullible(), Settings).Explore(options).Violation!;
        var replay = Simulator.Create(new Gullible(), Settings).Replay(found.Schedule!);

        Assert.Equal("a node's value never decreases", found.Property);
        Assert.Equal(found.Property, replay.Violation!.Property);
    }
}
