using OrleansNodes.Hosting.Protocols;

namespace OrleansNodes.Hosting.Tests.Tally;

using TallyInput = Input<TallyMessage, TallyCommand>;

/// <summary>
/// A small protocol for testing the host, not a consensus protocol: a fixed leader keeps a
/// total, applies each <see cref="Add"/> at most once per request id and gossips the total to
/// followers every few ticks; any node can ping a peer for a client. Every tick changes the
/// state (it counts ticks), so a node that ticks also writes, which lets tests watch nodes
/// from storage alone.
/// </summary>
public sealed class TallyProtocol : Protocol<TallySettings, TallyState, TallyMessage, TallyCommand, TallyReply>
{
    /// <inheritdoc/>
    public override string Name => "tally";

    /// <summary>Reads the redirect out of a reply, for the gateway.</summary>
    public static RedirectHint? Redirect(TallyReply reply) => reply is Redirect redirect ? new RedirectHint(redirect.Leader) : null;

    /// <inheritdoc/>
    public override TallyState Init(NodeConfig<TallySettings> config)
    {
        var (gossip, random) = TickTimer.StartRandomized(SeededRandom.From(config.Seed), config.Settings.GossipTicksMin, config.Settings.GossipTicksMax);
        return new TallyState(0, 0, [], gossip, random, PeerTicks.Create(config.Members.Length));
    }

    /// <inheritdoc/>
    public override TallyState Step(StepContext<TallySettings, TallyMessage, TallyReply> context, TallyState state, TallyInput input) =>
        input switch
        {
            TallyInput.Tick => OnTick(context, state),
            TallyInput.Receive { Message: Replicate replicate } receive => OnReplicate(state, receive.From, replicate),
            TallyInput.Receive { Message: Ping ping } receive => OnPing(context, state, receive.From, ping),
            TallyInput.Receive { Message: Pong pong } receive => OnPong(context, state, receive.From, pong),
            TallyInput.Request { Command: Add add } request => OnAdd(context, state, request.Client, request.Sequence, add),
            TallyInput.Request { Command: Read } request => OnRead(context, state, request.Client, request.Sequence),
            TallyInput.Request { Command: PingPeer ping } request => OnPingPeer(context, state, request.Client, request.Sequence, ping),
            _ => state,
        };

    /// <inheritdoc/>
    public override string Describe(TallyState state) => $"total={state.Total} ticks={state.Ticks}";

    private static TallyState OnTick(StepContext<TallySettings, TallyMessage, TallyReply> context, TallyState state)
    {
        var next = state with { Ticks = state.Ticks + 1, Gossip = state.Gossip.Advance(), Heard = state.Heard.Tick() };
        return MaybeGossip(context, next);
    }

    private static TallyState MaybeGossip(StepContext<TallySettings, TallyMessage, TallyReply> context, TallyState state)
    {
        if (!IsLeader(context) || !state.Gossip.IsExpired) return state;
        context.Broadcast(new Replicate(state.Total));
        var (gossip, random) = TickTimer.StartRandomized(state.Random, context.Settings.GossipTicksMin, context.Settings.GossipTicksMax);
        return state with { Gossip = gossip, Random = random };
    }

    private static TallyState OnReplicate(TallyState state, NodeId from, Replicate replicate)
    {
        // Totals only grow, so max() makes stale and reordered copies harmless.
        var heard = state.Heard.Heard(from);
        return replicate.Total > state.Total ? state with { Total = replicate.Total, Heard = heard }
            : ReferenceEquals(heard, state.Heard) ? state
            : state with { Heard = heard };
    }

    private static TallyState OnPing(StepContext<TallySettings, TallyMessage, TallyReply> context, TallyState state, NodeId from, Ping ping)
    {
        context.Send(from, new Pong(ping.Client, ping.Sequence));
        return state;
    }

    private static TallyState OnPong(StepContext<TallySettings, TallyMessage, TallyReply> context, TallyState state, NodeId from, Pong pong)
    {
        context.Reply(pong.Client, pong.Sequence, new Ponged(from));
        return state;
    }

    private static TallyState OnAdd(StepContext<TallySettings, TallyMessage, TallyReply> context, TallyState state, ClientId client, long sequence, Add add)
    {
        if (!IsLeader(context))
        {
            context.Reply(client, sequence, new Redirect(new NodeId(context.Settings.Leader)));
            return state;
        }
        if (state.AppliedSequence.TryGetValue(client, out var applied) && applied >= sequence)
        {
            // A retry of a request already applied: answer again, apply nothing.
            context.Reply(client, sequence, new Added(state.Total));
            return state;
        }
        var next = state with { Total = state.Total + add.Amount, AppliedSequence = state.AppliedSequence.SetItem(client, sequence) };
        context.Broadcast(new Replicate(next.Total));
        context.Reply(client, sequence, new Added(next.Total));
        return next;
    }

    private static TallyState OnRead(StepContext<TallySettings, TallyMessage, TallyReply> context, TallyState state, ClientId client, long sequence)
    {
        context.Reply(client, sequence, new Value(state.Total, state.Ticks));
        return state;
    }

    private static TallyState OnPingPeer(StepContext<TallySettings, TallyMessage, TallyReply> context, TallyState state, ClientId client, long sequence, PingPeer ping)
    {
        context.Send(ping.Peer, new Ping(client, sequence));
        return state;
    }

    private static bool IsLeader(StepContext<TallySettings, TallyMessage, TallyReply> context) => context.Self.Value == context.Settings.Leader;
}
