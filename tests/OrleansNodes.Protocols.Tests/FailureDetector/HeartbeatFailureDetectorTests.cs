using OrleansNodes.Protocols.FailureDetector;
using FdInput = OrleansNodes.Core.Input<OrleansNodes.Protocols.FailureDetector.FailureDetectorMessage, OrleansNodes.Protocols.FailureDetector.FailureDetectorCommand>;

namespace OrleansNodes.Protocols.Tests.FailureDetector;

public class HeartbeatFailureDetectorTests
{
    private static readonly FailureDetectorSettings Settings = new(HeartbeatIntervalTicks: 2, SuspectAfterTicks: 5);
    private static readonly HeartbeatFailureDetector Detector = new();
    private static readonly ImmutableArray<NodeConfig<FailureDetectorSettings>> Configs = NodeConfig<FailureDetectorSettings>.Cluster(3, Settings, seed: 1);

    private static NodeId N(int index) => new(index);

    private static FdInput.Receive HeartbeatFrom(int node) => new(N(node), FailureDetectorMessage.Heartbeat.Instance);

    private static (FailureDetectorState State, List<Envelope<FailureDetectorMessage>> Sends) Tick(FailureDetectorState state, int times)
    {
        var sends = new List<Envelope<FailureDetectorMessage>>();
        for (var i = 0; i < times; i++)
        {
            var result = Detector.Run(Configs[0], state, FdInput.Tick.Instance);
            state = result.State;
            sends.AddRange(result.Outbox.Sends);
        }
        return (state, sends);
    }

    [Fact]
    public void OnTick_EveryIntervalTicks_BroadcastsAHeartbeatToEachPeer()
    {
        var (_, sends) = Tick(Detector.Init(Configs[0]), times: 6);

        Assert.Equal([N(1), N(2), N(1), N(2), N(1), N(2)], sends.Select(e => e.To));
        Assert.All(sends, e => Assert.IsType<FailureDetectorMessage.Heartbeat>(e.Message));
    }

    [Fact]
    public void OnTick_PeerSilentForSuspectAfterTicks_SuspectsItAndNoEarlier()
    {
        var state = Detector.Init(Configs[0]);
        for (var i = 0; i < Settings.SuspectAfterTicks - 1; i++)
        {
            state = Tick(state, 1).State;
            state = Detector.Run(Configs[0], state, HeartbeatFrom(1)).State;
        }
        Assert.Empty(state.Suspects);

        state = Tick(state, 1).State;

        Assert.Equal([N(2)], state.Suspects);
    }

    [Fact]
    public void OnHeartbeat_FromSuspectedPeer_ClearsTheSuspicionAtOnce()
    {
        var (state, _) = Tick(Detector.Init(Configs[0]), Settings.SuspectAfterTicks);
        Assert.Equal([N(1), N(2)], state.Suspects);

        state = Detector.Run(Configs[0], state, HeartbeatFrom(2)).State;

        Assert.Equal([N(1)], state.Suspects);
        Assert.Equal(0, state.Silence.TicksSinceHeard(N(2)));
    }

    [Fact]
    public void OnHeartbeat_PeerHeardThisTickAlready_ReturnsTheSameState()
    {
        var state = Detector.Run(Configs[0], Detector.Init(Configs[0]), HeartbeatFrom(1)).State;

        var result = Detector.Run(Configs[0], state, HeartbeatFrom(1));

        Assert.Same(state, result.State);
        Assert.True(result.Outbox.IsEmpty);
    }

    [Fact]
    public void Suspects_Request_RepliesWithTheCurrentSuspectsInIdOrder()
    {
        var (state, _) = Tick(Detector.Init(Configs[0]), Settings.SuspectAfterTicks);

        var result = Detector.Run(Configs[0], state, new FdInput.Request(new ClientId(4), 1, FailureDetectorCommand.Suspects.Instance));

        Assert.Same(state, result.State);
        var reply = Assert.Single(result.Outbox.Replies);
        Assert.Equal(new FailureDetectorReply.Suspected([N(1), N(2)]), reply.Reply);
    }

    [Fact]
    public void HardState_AnyState_NothingIsDurable()
    {
        var (state, _) = Tick(Detector.Init(Configs[0]), Settings.SuspectAfterTicks + 3);

        Assert.Null(Detector.HardState(state));
    }

    [Fact]
    public void Recover_AfterCrash_ForgetsSuspicionsAndGivesEveryPeerAFreshGracePeriod()
    {
        var (state, _) = Tick(Detector.Init(Configs[0]), Settings.SuspectAfterTicks + 3);
        Assert.NotEmpty(state.Suspects);

        var recovered = Detector.Recover(Configs[0], DurableImage.Initial(Detector.HardState(state)));

        Assert.Empty(recovered.Suspects);
        Assert.Equal(0, recovered.Silence.TicksSinceHeard(N(1)));
        Assert.Empty(Tick(recovered, Settings.SuspectAfterTicks - 1).State.Suspects);
    }

    [Fact]
    public void Scenario_ThreeNodesHeartbeat_NobodySuspectedUntilN2Crashes_ThenBothOthersSuspectIt()
    {
        // A perfect network delivering every heartbeat within the round it is sent: nobody is
        // suspected for 50 rounds. Then n2 crashes; after K silent ticks n0 and n1 suspect it.
        var states = Configs.Select(Detector.Init).ToArray();
        bool[] up = [true, true, true];
        void Round()
        {
            var inFlight = new List<Envelope<FailureDetectorMessage>>();
            for (var node = 0; node < 3; node++)
            {
                if (!up[node]) continue;
                var result = Detector.Run(Configs[node], states[node], FdInput.Tick.Instance);
                states[node] = result.State;
                inFlight.AddRange(result.Outbox.Sends);
            }
            foreach (var envelope in inFlight.Where(e => up[e.To.Value]))
                states[envelope.To.Value] = Detector.Run(Configs[envelope.To.Value], states[envelope.To.Value], new FdInput.Receive(envelope.From, envelope.Message)).State;
        }

        for (var round = 0; round < 50; round++) Round();
        Assert.All(states, s => Assert.Empty(s.Suspects));

        up[2] = false;
        for (var round = 0; round < Settings.SuspectAfterTicks; round++) Round();

        Assert.Equal([N(2)], states[0].Suspects);
        Assert.Equal([N(2)], states[1].Suspects);
    }

    [Fact]
    public void Describe_ShowsSuspectsOnOneLine()
    {
        var (state, _) = Tick(Detector.Init(Configs[0]), Settings.SuspectAfterTicks);

        var line = Detector.Describe(state);

        Assert.StartsWith("suspects [n1, n2]", line);
        Assert.DoesNotContain('\n', line);
    }
}
