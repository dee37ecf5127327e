using OrleansNodes.Protocols.FailureDetector;
using OrleansNodes.Simulation;
using Xunit.Abstractions;

namespace OrleansNodes.Protocols.Tests.FailureDetector;

/// <summary>Seeded simulation suites and scripted worlds for the heartbeat failure detector.</summary>
public class FailureDetectorSimulationTests(ITestOutputHelper output)
{
    private static NodeId N(int index) => new(index);

    /// <summary>Crashed nodes stay down through the liveness phase: the dead must stay dead to be detected.</summary>
    private static readonly SimulationOptions AllFaults = SimulationOptions.Default with
    {
        Nodes = 3,
        Steps = 300,
        Faults = FaultKinds.All,
        FaultEventPercent = 2.0,
        RestartCrashedForLiveness = false,
        LivenessRounds = 100,
        SaveSchedule = false,
    };

    /// <summary>
    /// Every fault but loss and duplication, so the network is healthy between fault events and
    /// accuracy is judged during the run, not only after it.
    /// </summary>
    private static readonly SimulationOptions LosslessFaults = AllFaults with
    {
        Faults = FaultKinds.Reorder | FaultKinds.Partition | FaultKinds.Crash | FaultKinds.Skew,
    };

    [Fact]
    public void RunSuite_AllFaultsCrashedNodesStayDown2000Seeds_NoViolationAndEveryGoalReached()
    {
        var report = Simulator.Create(new HeartbeatFailureDetector(), FailureDetectorSettings.Default).RunSuite(2_000, AllFaults, firstSeed: 1);

        output.WriteLine(report.ToString());
        report.ThrowIfFailed();
        Assert.Equal(2_000, report.Runs);
    }

    [Fact]
    public void RunSuite_LosslessFaults1000Seeds_NoLivePeerSuspectedOnceHealthyAndCrashesDetected()
    {
        var report = Simulator.Create(new HeartbeatFailureDetector(), FailureDetectorSettings.Default).RunSuite(1_000, LosslessFaults, firstSeed: 1);

        output.WriteLine(report.ToString());
        report.ThrowIfFailed();
    }

    [Fact]
    public void RunSuite_SuspectAfterTicksOneBelowTheNetworkBound_AccuracyIsViolated()
    {
        // The bound is tight: one tick less than NetworkBounds.MinSuspectAfterTicks (a fast
        // observer counting a slow peer's longest heartbeat gap) and some seed has a live peer
        // suspected on a healthy network. The property must say so, or its silence would mean nothing.
        var interval = FailureDetectorSettings.Default.HeartbeatIntervalTicks;
        var tooEager = new FailureDetectorSettings(interval, NetworkBounds.Simulator.MinSuspectAfterTicks(interval) - 1);

        var report = Simulator.Create(new HeartbeatFailureDetector(), tooEager).RunSuite(2_000, LosslessFaults with { CheckDeterminism = false }, firstSeed: 1);

        output.WriteLine(report.ToString());
        Assert.Equal(FailureDetectorProperties.NoLivePeerSuspected, report.Violation?.Property);
    }

    [Fact]
    public void RunSuite_SuspectAfterTicksExactlyAtTheNetworkBound_AccuracyHolds()
    {
        var interval = FailureDetectorSettings.Default.HeartbeatIntervalTicks;
        var justEnough = new FailureDetectorSettings(interval, NetworkBounds.Simulator.MinSuspectAfterTicks(interval));

        var report = Simulator.Create(new HeartbeatFailureDetector(), justEnough).RunSuite(2_000, LosslessFaults with { CheckDeterminism = false }, firstSeed: 1);

        output.WriteLine(report.ToString());
        report.ThrowIfFailed();
    }

    [Fact]
    public void Scenario_IsolateN2_BothOthersSuspectIt_HealAndEveryoneIsClearedWithinTheSlack()
    {
        // Isolate n2 for 40 rounds: n0 and n1 suspect n2, and n2 suspects both. Heal; within one
        // heartbeat gap every suspicion is gone, and 100 more rounds raise none.
        var world = Simulator.Create(new HeartbeatFailureDetector(), FailureDetectorSettings.Default).CreateWorld(nodes: 3, seed: 5);

        world.Isolate(N(2)).RunRounds(40);
        Assert.Equal([N(2)], world[N(0)].Suspects);
        Assert.Equal([N(2)], world[N(1)].Suspects);
        Assert.Equal([N(0), N(1)], world[N(2)].Suspects);

        world.Heal().RunRounds(NetworkBounds.Simulator.MaxHeartbeatGapRounds(FailureDetectorSettings.Default.HeartbeatIntervalTicks));
        Assert.All(world.States, s => Assert.Empty(s.Suspects));

        world.RunRounds(100);
        Assert.All(world.States, s => Assert.Empty(s.Suspects));
    }

    [Fact]
    public void Scenario_CrashN1_EveryLiveNodeSuspectsItAfterSuspectAfterTicks()
    {
        var world = Simulator.Create(new HeartbeatFailureDetector(), FailureDetectorSettings.Default).CreateWorld(nodes: 3, seed: 5);
        world.RunRounds(10).Crash(N(1));

        world.RunRounds(FailureDetectorSettings.Default.SuspectAfterTicks - 2);
        Assert.Empty(world[N(0)].Suspects);

        world.RunRounds(2);
        Assert.Equal([N(1)], world[N(0)].Suspects);
        Assert.Equal([N(1)], world[N(2)].Suspects);
        Assert.True(world.Reached(FailureDetectorProperties.CrashedPeerSuspected));
    }
}
