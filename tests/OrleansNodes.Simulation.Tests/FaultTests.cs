using OrleansNodes.Simulation.Tests.Toys;

namespace OrleansNodes.Simulation.Tests;

/// <summary>The leader-isolation fault and client gateways, on a toy whose leader never changes and which sends nothing.</summary>
public class FaultTests
{
    private static readonly SimulationOptions LeaderIsolated = SimulationOptions.Default with
    {
        Nodes = 4,
        Steps = 2_000,
        Faults = FaultKinds.IsolateLeader,
        FaultEventPercent = 5,
        SaveSchedule = false,
    };

    private static Simulator<FigureheadSettings, FigureheadState, Unit, string, int> Figurehead(int? leader) =>
        Simulator.Create(new Figurehead(), new FigureheadSettings(leader)).WithWorkload(setup => new Clients(setup, clients: 8, operations: 30, timeoutRounds: 3));

    [Fact]
    public void RunSuite_IsolateLeader_CutsOnlyTheLinksOfTheNodeThatLeads()
    {
        var simulator = Figurehead(leader: 2);

        var report = simulator.RunSuite(50, LeaderIsolated);

        report.ThrowIfFailed();
        Assert.True(simulator.Run(1, LeaderIsolated).Cuts >= 6, "n2 was cut off from its three peers, both ways");
    }

    [Fact]
    public void RunSuite_RandomPartitions_AlsoCutLinksBetweenNodesThatDoNotLead()
    {
        // The property above can fail: random partitions break it at once.
        var report = Figurehead(leader: 2).RunSuite(50, LeaderIsolated with { Faults = FaultKinds.Partition, Shrink = false, CheckDeterminism = false });

        Assert.Equal("every cut link touches the leader", report.Violation?.Property);
    }

    [Fact]
    public void Run_IsolateLeaderWhereNoNodeLeads_CutsNothing()
    {
        var report = Figurehead(leader: null).Run(1, LeaderIsolated);

        report.ThrowIfFailed();
        Assert.Equal(0, report.Cuts);
    }

    [Fact]
    public void Run_LeaderIsolated_RequestsAreLostOnlyThroughAGatewayCutFromTheirNode()
    {
        // The toy sends no messages and nothing crashes: whatever a run loses is a client request.
        var simulator = Figurehead(leader: 2);

        var direct = simulator.Run(1, LeaderIsolated);
        var throughGateways = simulator.Run(1, LeaderIsolated with { ClientGateways = true });

        direct.ThrowIfFailed();
        throughGateways.ThrowIfFailed();
        Assert.True(direct.Cuts > 0 && throughGateways.Cuts > 0, "the leader was isolated in both runs");
        Assert.Equal(0, direct.Lost);
        Assert.True(throughGateways.Lost > 0, "requests crossing the cut through a gateway were lost");
    }
}
