using OrleansNodes.Protocols.Paxos;
using OrleansNodes.Simulation;
using Xunit.Abstractions;

namespace OrleansNodes.Protocols.Tests.Paxos;

/// <summary>Seeded simulation suites and scripted worlds: every property checked after every step.</summary>
public class PaxosSimulationTests(ITestOutputHelper output)
{
    private static readonly SimulationOptions AllFaults = SimulationOptions.Default with
    {
        Nodes = 3,
        Steps = 400,
        Faults = FaultKinds.All,
        FaultEventPercent = 2.0,
        SaveSchedule = false,
    };

    private static NodeId N(int index) => new(index);

    [Fact]
    public void RunSuite_ThreeNodesAllFaults2000Seeds_NoViolationAndEveryGoalReached()
    {
        var report = Simulator.Create(new SingleDecreePaxos(), PaxosSettings.Default).RunSuite(2_000, AllFaults, firstSeed: 1);

        output.WriteLine(report.ToString());
        report.ThrowIfFailed();
        Assert.Equal(2_000, report.Runs);
    }

    [Fact]
    public void RunSuite_FiveNodesAllFaults300Seeds_NoViolationAndEveryGoalReached()
    {
        var options = AllFaults with { Nodes = 5, Steps = 800 };

        var report = Simulator.Create(new SingleDecreePaxos(), PaxosSettings.Default).RunSuite(300, options, firstSeed: 1);

        output.WriteLine(report.ToString());
        report.ThrowIfFailed();
    }

    [Fact]
    public void RunSuite_ClientsProposeThroughRandomNodesAllFaults500Seeds_EveryClientHearsTheSameProposedValue()
    {
        // No node proposes by itself: values come only from clients, which time out and ask
        // another node, so requests meet crashed nodes, lost replies and nodes that already know.
        var settings = PaxosSettings.Default with { ProposeOnStart = false };
        var simulator = Simulator.Create(new SingleDecreePaxos(), settings).WithWorkload(setup => new PaxosClients(setup));

        var report = simulator.RunSuite(500, AllFaults, firstSeed: 1);

        output.WriteLine(report.ToString());
        report.ThrowIfFailed();
    }

    [Fact]
    public void Scenario_PartitionN2WhileTheOthersDecide_HealAndEveryNodeLearnsTheSameValue()
    {
        // Isolate n2; n0 and n1 are a majority and choose a value within 60 rounds while n2
        // keeps failing to reach anyone. Heal: n2's next ballot is answered with Decided.
        var world = Simulator.Create(new SingleDecreePaxos(), PaxosSettings.Default).CreateWorld(nodes: 3, seed: 3);

        world.Isolate(N(2)).RunRounds(60);
        var chosen = world[N(0)].Learned;
        Assert.NotNull(chosen);
        Assert.Equal(chosen, world[N(1)].Learned);
        Assert.Null(world[N(2)].Learned);

        world.Heal().RunRounds(2 * PaxosSettings.Default.RetryTicksMax);

        Assert.All(world.States, s => Assert.Equal(chosen, s.Learned));
        Assert.True(world.Reached(PaxosProperties.ValueChosen));
    }

    [Fact]
    public void Scenario_AcceptorCrashesAfterVotingAndRestarts_ItsVoteSurvivesAndForcesTheValue()
    {
        // n0 runs ballot 1 alone on n0 and n1 (n2 cut off); n1 votes, then crashes before any
        // Accepted leaves the cluster's reach. After the restart, n2's ballot must learn n1's
        // vote from its promise (P2c) and choose n0's value, never its own.
        var settings = PaxosSettings.Default with { ProposeOnStart = false };
        var world = Simulator.Create(new SingleDecreePaxos(), settings).CreateWorld(nodes: 3, seed: 1);
        world.Isolate(N(2));
        world.Request(new ClientId(1), 1, N(0), new PaxosCommand.Propose("x"));
        world.Deliver(e => e.Message is PaxosMessage.Prepare);
        world.Deliver(e => e.Message is PaxosMessage.Promise);
        world.Deliver(e => e.Message is PaxosMessage.Accept && e.To == N(1));
        Assert.Equal("x", world[N(1)].Accepted?.Value);
        world.Drop(_ => true);
        world.Crash(N(1)).Crash(N(0)).Heal().Restart(N(1));

        world.Request(new ClientId(2), 1, N(2), new PaxosCommand.Propose("y"));
        world.RunRounds(20);

        Assert.Equal("x", world[N(2)].Learned);
        Assert.Equal("x", world[N(1)].Learned);
    }
}
