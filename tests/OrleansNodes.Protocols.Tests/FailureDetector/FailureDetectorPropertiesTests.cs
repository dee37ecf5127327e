using OrleansNodes.Protocols.FailureDetector;

namespace OrleansNodes.Protocols.Tests.FailureDetector;

public class FailureDetectorPropertiesTests
{
    private static readonly NetworkBounds Network = new(MaxMessageDelayRounds: 4, MaxTickSkew: 2);
    private static readonly HeartbeatFailureDetector Detector = new(Network);
    private static readonly ImmutableArray<NodeConfig<FailureDetectorSettings>> Configs =
        NodeConfig<FailureDetectorSettings>.Cluster(3, new FailureDetectorSettings(HeartbeatIntervalTicks: 3, SuspectAfterTicks: 12), seed: 1);

    private static Property<FailureDetectorState> Named(string name) => Detector.Properties.Single(p => p.Name == name);

    private static FailureDetectorState Suspecting(int node, params int[] suspects) =>
        Detector.Init(Configs[node]) with { Suspects = [.. suspects.Select(s => new NodeId(s))] };

    private static Observation<FailureDetectorState> Observe(FailureDetectorState[] states, bool[] up, long healthyForTime) =>
        new(states, up, null, null, step: 0, time: 100, healthyForTime);

    [Fact]
    public void NoLivePeerSuspected_LivePeerSuspectedLongAfterHealing_IsViolated()
    {
        FailureDetectorState[] states = [Suspecting(0, 1), Suspecting(1), Suspecting(2)];
        var slack = FailureDetectorProperties.HealthySlackRounds(states[0], Network);

        var check = Named(FailureDetectorProperties.NoLivePeerSuspected).Start();

        Assert.False(check.Holds(Observe(states, [true, true, true], healthyForTime: slack + 1)));
    }

    [Fact]
    public void NoLivePeerSuspected_WithinTheSlackOrWhileUnhealthy_Holds()
    {
        FailureDetectorState[] states = [Suspecting(0, 1), Suspecting(1), Suspecting(2)];
        var slack = FailureDetectorProperties.HealthySlackRounds(states[0], Network);
        var check = Named(FailureDetectorProperties.NoLivePeerSuspected).Start();

        Assert.Equal(2 * 3 + 4 + 1, slack);
        Assert.True(check.Holds(Observe(states, [true, true, true], healthyForTime: slack)));
        Assert.True(check.Holds(Observe(states, [true, true, true], healthyForTime: -1)));
    }

    [Fact]
    public void NoLivePeerSuspected_CrashedPeerSuspected_Holds()
    {
        FailureDetectorState[] states = [Suspecting(0, 2), Suspecting(1, 2), Suspecting(2)];

        var check = Named(FailureDetectorProperties.NoLivePeerSuspected).Start();

        Assert.True(check.Holds(Observe(states, [true, true, false], healthyForTime: 1000)));
    }

    [Fact]
    public void CrashedPeersSuspected_OneLiveNodeMissesTheCrash_DoesNotHoldYet()
    {
        var check = Named(FailureDetectorProperties.CrashedPeersSuspected).Start();
        bool[] up = [true, true, false];

        Assert.False(check.Holds(Observe([Suspecting(0, 2), Suspecting(1), Suspecting(2)], up, 10)));
        Assert.True(check.Holds(Observe([Suspecting(0, 2), Suspecting(1, 2), Suspecting(2)], up, 10)));
    }

    [Fact]
    public void MinSuspectAfterTicks_SimulatorBounds_CoverAFastObserverOfASlowPeer()
    {
        // A peer at half speed sends every 2H rounds; the heartbeat spends up to 4 rounds on the
        // wire, plus a round of ordering; an observer at double speed counts 2 ticks per round.
        Assert.Equal(2 * (2 * 2 + 4 + 1) + 1, NetworkBounds.Simulator.MinSuspectAfterTicks(heartbeatIntervalTicks: 2));
        Assert.True(FailureDetectorSettings.Default.SuspectAfterTicks >= NetworkBounds.Simulator.MinSuspectAfterTicks(FailureDetectorSettings.Default.HeartbeatIntervalTicks));
    }
}
