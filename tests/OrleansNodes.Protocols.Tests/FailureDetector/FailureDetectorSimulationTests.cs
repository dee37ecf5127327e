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
    public void Run_AllFaults_AccuracyIsEvaluatedOnceLossStopsAlthoughCrashedNodesStayDown()
    {
        // Under every fault the network is lossy until the liveness phase, and crashed nodes stay
        // down through it, so the cluster is never "healthy": accuracy is judged between live
        // nodes on the reliable network of the liveness phase.
        var simulator = Simulator.Create(new HeartbeatFailureDetector(), FailureDetectorSettings.Default);

        for (var seed = 1UL; seed <= 20; seed++)
        {
            var report = simulator.Run(seed, AllFaults);

            Assert.True(report.Passed, report.ToString());
            Assert.Empty(report.Unevaluated);
        }
    }

    [Fact]
    public void RunSuite_AllFaultsWithoutLivenessPhase_WarnsThatAccuracyCouldNotBeEvaluated()
    {
        var report = Simulator.Create(new HeartbeatFailureDetector(), FailureDetectorSettings.Default)
            .RunSuite(20, AllFaults with { LivenessRounds = 0 }, firstSeed: 1);

        output.WriteLine(report.ToString());
        Assert.Null(report.Violation);
        var warning = Assert.Single(report.Warnings);
        Assert.Contains($"'{FailureDetectorProperties.NoLivePeerSuspected}' could not be evaluated in any of the 20 runs", warning, StringComparison.Ordinal);
        Assert.Contains("warning: ", report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void RunSuite_AllFaultsDetectorFarTooEager_AccuracyViolationNamesTheSuspicion()
    {
        // A threshold of one tick suspects every live peer between heartbeats; before accuracy was
        // judged in the liveness phase, --faults all could never say so.
        var eager = new FailureDetectorSettings(FailureDetectorSettings.Default.HeartbeatIntervalTicks, 1);

        var report = Simulator.Create(new HeartbeatFailureDetector(), eager)
            .RunSuite(20, AllFaults with { CheckDeterminism = false, Shrink = false }, firstSeed: 1);

        output.WriteLine(report.ToString());
        Assert.Equal(FailureDetectorProperties.NoLivePeerSuspected, report.Violation?.Property);
        Assert.Matches("^n[0-9] suspects n[0-9], up since round [0-9]+; the network has been reliable for [0-9]+ rounds", report.Violation!.Message);
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

        // The worst case needs a slow peer, a fast observer and a maximal delay at once: rare, so
        // search wide (five nodes, longer runs; the suite stops at the first violation).
        var wide = SimulationOptions.Default with
        {
            Nodes = 5,
            Steps = 600,
            Faults = LosslessFaults.Faults,
            RestartCrashedForLiveness = false,
            CheckDeterminism = false,
            SaveSchedule = false,
        };
        var report = Simulator.Create(new HeartbeatFailureDetector(), tooEager).RunSuite(20_000, wide, firstSeed: 1);

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
