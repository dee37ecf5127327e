using OrleansNodes.Simulation.Tests.Toys;

namespace OrleansNodes.Simulation.Tests;

/// <summary>Swarm testing: each run's configuration drawn from its seed, recorded, counted; and the crash points it biases toward.</summary>
public class SwarmTests
{
    private static readonly SimulationOptions _swarm = SimulationOptions.Default with
    {
        Steps = 300,
        Faults = FaultKinds.All,
        Swarm = true,
        SaveSchedule = false,
        CheckDeterminism = false,
    };

    [Fact]
    public void ForRun_SwarmOff_IsTheOptionsThemselves()
    {
        var options = _swarm with { Swarm = false };

        Assert.Same(options, options.ForRun(42));
    }

    [Fact]
    public void ForRun_SameSeed_SameFinalConfiguration()
    {
        var drawn = _swarm.ForRun(7);

        Assert.Equal(drawn, _swarm.ForRun(7));
        Assert.False(drawn.Swarm);
        Assert.Same(drawn, drawn.ForRun(7));
        drawn.Validate();
    }

    [Fact]
    public void ForRun_200Seeds_CoverEveryClusterSizeEveryFaultOnAndOffAndRunsWithoutFaults()
    {
        var drawn = Enumerable.Range(0, 200).Select(seed => _swarm.ForRun((ulong)seed)).ToList();

        Assert.Equal([3, 4, 5], drawn.Select(o => o.Nodes).Distinct().Order());
        Assert.Contains(drawn, o => o.Faults == FaultKinds.None);
        foreach (var kind in new[] { FaultKinds.Drop, FaultKinds.Duplicate, FaultKinds.Reorder, FaultKinds.Partition, FaultKinds.Crash, FaultKinds.Skew, FaultKinds.IsolateLeader })
        {
            Assert.Contains(drawn, o => o.Faults.HasFlag(kind));
            Assert.Contains(drawn, o => !o.Faults.HasFlag(kind));
        }

        Assert.Contains(drawn, o => o.Faults.HasFlag(FaultKinds.Crash) && o.BoundaryCrashPercent > 0);
        Assert.Contains(drawn, o => o.Faults.HasFlag(FaultKinds.Crash) && o.FlushCrashPercent > 0);
        Assert.All(drawn, o => Assert.InRange(o.MaxCrashed, 0, (o.Nodes - 1) / 2));
    }

    [Fact]
    public void RunSuite_Swarm_CountsTheConfigurationsItCovered()
    {
        var report = Simulator.Create(new MiniPaxos(), PaxosSettings.Default).RunSuite(60, _swarm);

        report.ThrowIfFailed();
        var counts = report.Configurations.ToDictionary(c => c.Kind, c => c.Runs);
        Assert.Equal(60, counts.GetValueOrDefault("3 nodes") + counts.GetValueOrDefault("4 nodes") + counts.GetValueOrDefault("5 nodes"));
        Assert.True(counts.ContainsKey("Crash") && counts.ContainsKey("Drop"), report.ToString());
        Assert.Contains("configurations: ", report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void RunSuite_WithoutSwarm_CountsNoConfigurations()
    {
        var report = Simulator.Create(new MiniPaxos(), PaxosSettings.Default).RunSuite(5, _swarm with { Swarm = false });

        Assert.Empty(report.Configurations);
    }

    [Fact]
    public void RunSuite_FrequentWriteThenCrashAndBoundaryCrashes_CorrectProtocolPassesAndCrashesHappen()
    {
        // The new crash point keeps the flush's write and loses its outbox: persist-before-send
        // allows exactly that, so a correct protocol survives it.
        var options = _swarm with { Swarm = false, Faults = FaultKinds.Crash | FaultKinds.Reorder, FlushCrashPercent = 10, BoundaryCrashPercent = 10 };
        var simulator = Simulator.Create(new MiniPaxos(), PaxosSettings.Default);

        var suite = simulator.RunSuite(50, options);
        var run = simulator.Run(3, options);

        suite.ThrowIfFailed();
        Assert.True(run.Crashes > 0, run.ToString());
    }

    [Fact]
    public void Decision_FlushCrash_RoundTripsItsTextForm()
    {
        var decision = Decision.Parse("flush-crash n2");

        Assert.Equal(DecisionKind.FlushCrash, decision.Kind);
        Assert.Equal(2, decision.Node);
        Assert.Equal("flush-crash n2", decision.ToString());
    }
}
