using FdContext = OrleansNodes.Core.StepContext<OrleansNodes.Protocols.FailureDetector.FailureDetectorSettings, OrleansNodes.Protocols.FailureDetector.FailureDetectorMessage, OrleansNodes.Protocols.FailureDetector.FailureDetectorReply>;
using FdInput = OrleansNodes.Core.Input<OrleansNodes.Protocols.FailureDetector.FailureDetectorMessage, OrleansNodes.Protocols.FailureDetector.FailureDetectorCommand>;

namespace OrleansNodes.Protocols.FailureDetector;

/// <summary>
/// The seed's heartbeat failure detector: every node sends a heartbeat to every peer every
/// <c>H</c> ticks and counts, per peer, the ticks since it last heard from it. A peer silent for
/// <c>K</c> ticks is suspected; a message from it clears the suspicion at once.
/// </summary>
/// <remarks>
/// <para>Counting ticks per peer covers both failure shapes the seed names: silence from
/// everyone (the node itself is cut off) and silence from one peer while others keep talking,
/// with no timers at all (seed rule 2).</para>
/// <para>On an asynchronous network no detector is accurate (Chandra and Toueg's ◇P is the best
/// one can hope for): this one is complete (a crashed peer stays silent and is eventually
/// suspected by everyone) and accurate only once the network delivers within known bounds,
/// which is exactly how <see cref="FailureDetectorProperties"/> states it.</para>
/// </remarks>
/// <param name="network">
/// The network the accuracy property is judged against (delay and tick-rate bounds): the nodes
/// do not use it, but "no live peer is suspected" only holds on a network within known bounds.
/// </param>
public sealed class HeartbeatFailureDetector(NetworkBounds? network = null)
    : Protocol<FailureDetectorSettings, FailureDetectorState, FailureDetectorMessage, FailureDetectorCommand, FailureDetectorReply>
{
    /// <inheritdoc/>
    public override string Name => "failure-detector";

    /// <summary>The network the accuracy property allows for.</summary>
    public NetworkBounds Network { get; } = network ?? NetworkBounds.Simulator;

    /// <inheritdoc/>
    public override IReadOnlyList<Property<FailureDetectorState>> Properties =>
        field ??= FailureDetectorProperties.For(Network);

    /// <inheritdoc/>
    public override FailureDetectorState Init(NodeConfig<FailureDetectorSettings> config)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(config.Settings.SuspectAfterTicks);
        return Fresh(config);
    }

    /// <summary>Nothing: every field is soft state, so the detector never writes storage.</summary>
    public override object? HardState(FailureDetectorState state) => null;

    /// <summary>
    /// Starts over: silence counters stopped while the node was down and say nothing about its
    /// peers now, so every peer gets a fresh <c>K</c> ticks to be heard.
    /// </summary>
    public override FailureDetectorState Recover(NodeConfig<FailureDetectorSettings> config, DurableImage image) =>
        Fresh(config);

    /// <inheritdoc/>
    public override FailureDetectorState Step(FdContext context, FailureDetectorState state, FdInput input) => input switch
    {
        FdInput.Tick => OnTick(context, state),
        FdInput.Receive { Message: FailureDetectorMessage.Heartbeat } receive => OnHeartbeat(state, receive.From),
        FdInput.Request { Command: FailureDetectorCommand.Suspects } request => OnSuspects(context, state, request),
        _ => throw new ArgumentOutOfRangeException(nameof(input), input, "not a failure-detector input"),
    };

    /// <inheritdoc/>
    public override string Describe(FailureDetectorState state) =>
        $"suspects [{string.Join(", ", state.Suspects)}] silence {state.Silence} heartbeat {state.Heartbeat}";

    private static FailureDetectorState Fresh(NodeConfig<FailureDetectorSettings> config) => new(
        Silence: PeerTicks.Create(config.Members.Length),
        Heartbeat: TickTimer.Start(config.Settings.HeartbeatIntervalTicks),
        SuspectAfterTicks: config.Settings.SuspectAfterTicks,
        Suspects: []);

    private static FailureDetectorState OnTick(FdContext context, FailureDetectorState state)
    {
        var silence = state.Silence.Tick();
        return state with
        {
            Silence = silence,
            Heartbeat = MaybeSendHeartbeat(context, state.Heartbeat.Advance()),
            Suspects = SuspectSilentPeers(context, silence, state.SuspectAfterTicks, state.Suspects),
        };
    }

    private static TickTimer MaybeSendHeartbeat(FdContext context, TickTimer heartbeat)
    {
        if (!heartbeat.IsExpired) return heartbeat;
        context.Broadcast(FailureDetectorMessage.Heartbeat.Instance);
        return heartbeat.Restart();
    }

    private static ImmutableSortedSet<NodeId> SuspectSilentPeers(FdContext context, PeerTicks silence, int suspectAfterTicks, ImmutableSortedSet<NodeId> suspects)
    {
        foreach (var peer in context.Members)
            if (peer != context.Self && silence.IsSilent(peer, suspectAfterTicks))
                suspects = suspects.Add(peer);
        return suspects;
    }

    /// <summary>Any message is proof of life, so one heartbeat clears a suspicion.</summary>
    private static FailureDetectorState OnHeartbeat(FailureDetectorState state, NodeId from)
    {
        var silence = state.Silence.Heard(from);
        var suspects = state.Suspects.Remove(from);
        return ReferenceEquals(silence, state.Silence) && ReferenceEquals(suspects, state.Suspects)
            ? state
            : state with { Silence = silence, Suspects = suspects };
    }

    private static FailureDetectorState OnSuspects(FdContext context, FailureDetectorState state, FdInput.Request request)
    {
        context.Reply(request.Client, request.Sequence, new FailureDetectorReply.Suspected([.. state.Suspects]));
        return state;
    }
}
