using KeyValueContext = OrleansNodes.Core.StepContext<OrleansNodes.Protocols.KeyValue.KeyValueSettings, OrleansNodes.Protocols.KeyValue.KeyValueMessage, OrleansNodes.Protocols.KeyValue.KeyValueReply>;
using KeyValueInput = OrleansNodes.Core.Input<OrleansNodes.Protocols.KeyValue.KeyValueMessage, OrleansNodes.Protocols.KeyValue.KeyValueCommand>;

namespace OrleansNodes.Protocols.KeyValue;

/// <summary>
/// A linearizable replicated key-value store on Multi-Paxos, as a pure step function.
/// </summary>
/// <remarks>
/// <para><b>Roles</b> ("Paxos Made Moderately Complex", van Renesse and Altinbuken). Every replica
/// is an acceptor and a learner; one at a time is the leader, which is also the proposer. A
/// follower that hears nothing from a leader for a randomized election timeout campaigns: it
/// runs phase 1 once for its new ballot, covering every slot from its first unchosen slot on.
/// Promises report each slot the acceptor holds there; the new leader re-proposes the reported
/// values in its own ballot (chosen values as they are, otherwise the newest accepted one) and
/// fills gaps with no-ops (§3 and "Paxos Made Simple" §3). From then on a client batch costs
/// phase 2 only: one round trip to a majority.</para>
/// <para><b>Learning.</b> The leader alone counts accepts. Followers learn through the commit
/// index carried on accepts and heartbeats (as Raft does); a follower whose log does not match
/// answers a heartbeat with its applied index, and the leader sends the missing chosen entries,
/// or its store when the follower is behind the compaction point.</para>
/// <para><b>Clients</b> name each request by (client, sequence). Every command, gets included,
/// goes through the log, so reads are linearizable with no clock assumption. The dedup table in
/// the store applies each request at most once and answers retries with the saved reply.
/// Followers redirect clients to the leader they know.</para>
/// <para><b>Bounded state.</b> Applied entries are compacted away once more than
/// <see cref="KeyValueSettings.RetainedEntriesMax"/> of them accumulate; the store (map, dedup
/// table, applied index) is the snapshot. Proposals in flight, queued requests and sessions are
/// bounded by settings too. This matters because production persists the whole state after
/// every batch of inputs ("Paxos Made Live" §5.5 on snapshots).</para>
/// </remarks>
public sealed partial class KeyValueProtocol : Protocol<KeyValueSettings, KeyValueState, KeyValueMessage, KeyValueCommand, KeyValueReply>
{
    /// <summary>The correct protocol.</summary>
    public KeyValueProtocol() { }

    internal KeyValueProtocol(KeyValueMutation mutation) => Mutation = mutation;

    /// <summary>Bugs injected by mutation tests; none in production.</summary>
    internal KeyValueMutation Mutation { get; }

    /// <inheritdoc/>
    public override string Name => "kv";

    /// <inheritdoc/>
    public override IReadOnlyList<Property<KeyValueState>> Properties => KeyValueProperties.All;

    /// <inheritdoc/>
    public override KeyValueState Init(NodeConfig<KeyValueSettings> config) =>
        new(
            Ballot.Zero,
            null,
            ImmutableSortedDictionary<long, LogEntry>.Empty,
            0,
            KeyValueStore.Empty,
            KeyValueTimers.Start(config.Settings, SeededRandom.From(config.Seed)),
            null,
            null);

    /// <summary>
    /// A restarted replica keeps its promise, log and store (all durable) and comes back as a
    /// follower: a leader's proposals in flight and queued requests were volatile in spirit,
    /// and its clients retry. Its random source moves on so it does not replay old timeouts.
    /// </summary>
    public override KeyValueState Recover(NodeConfig<KeyValueSettings> config, KeyValueState persisted) =>
        persisted with
        {
            Leader = null,
            Campaign = null,
            Leadership = null,
            Timers = persisted.Timers.RestartElection(config.Settings),
        };

    /// <inheritdoc/>
    public override string Describe(KeyValueState state) => state.ToString();

    /// <inheritdoc/>
    public override KeyValueState Step(KeyValueContext context, KeyValueState state, KeyValueInput input)
    {
        var next = input switch
        {
            KeyValueInput.Tick => OnTick(context, state),
            KeyValueInput.Request request => OnRequest(context, state, request),
            KeyValueInput.Receive { Message: Prepare prepare } receive => OnPrepare(context, state, receive.From, prepare),
            KeyValueInput.Receive { Message: Promise promise } receive => OnPromise(context, state, receive.From, promise),
            KeyValueInput.Receive { Message: Accept accept } receive => OnAccept(context, state, receive.From, accept),
            KeyValueInput.Receive { Message: Accepted accepted } receive => OnAccepted(context, state, receive.From, accepted),
            KeyValueInput.Receive { Message: Preempted preempted } => OnPreempted(context, state, preempted),
            KeyValueInput.Receive { Message: Heartbeat heartbeat } receive => OnHeartbeat(context, state, receive.From, heartbeat),
            KeyValueInput.Receive { Message: HeartbeatAck ack } receive => OnHeartbeatAck(context, state, receive.From, ack),
            KeyValueInput.Receive { Message: CatchUp catchUp } => OnCatchUp(context, state, catchUp),
            KeyValueInput.Receive { Message: InstallSnapshot install } => OnInstallSnapshot(context, state, install),
            _ => throw new ArgumentOutOfRangeException(nameof(input), input, "unknown input"),
        };
        return MaybeCompact(context.Settings, next, appliedBefore: state.Store.AppliedIndex);
    }

    private KeyValueState OnTick(KeyValueContext context, KeyValueState state) =>
        state.Leadership is { } leadership ? TickLeader(context, state, leadership) : TickElection(context, state);

    private static KeyValueState TickElection(KeyValueContext context, KeyValueState state)
    {
        var timers = state.Timers with { Election = state.Timers.Election.Advance() };
        return timers.Election.IsExpired ? StartCampaign(context, state with { Timers = timers }) : state with { Timers = timers };
    }

    private KeyValueState TickLeader(KeyValueContext context, KeyValueState state, Leadership leadership)
    {
        leadership = leadership with { Contact = leadership.Contact.Tick() };
        if (!HasQuorumContact(context, leadership)) return StepDown(context, state, leader: null);

        var heartbeat = state.Timers.Heartbeat.Advance();
        if (!heartbeat.IsExpired)
            return state with { Leadership = leadership, Timers = state.Timers with { Heartbeat = heartbeat } };

        context.Broadcast(new Heartbeat(leadership.Ballot, state.Store.AppliedIndex));
        Retransmit(context, state, leadership);
        return MaybePropose(context, state with { Leadership = leadership, Timers = state.Timers with { Heartbeat = heartbeat.Restart() } });
    }

    /// <summary>
    /// Check-quorum: a leader cut off from a majority for a whole (maximum) election timeout
    /// can commit nothing, and a new leader has likely been elected; it steps down so clients
    /// stop waiting on it.
    /// </summary>
    private static bool HasQuorumContact(KeyValueContext context, Leadership leadership)
    {
        var heard = 1;
        foreach (var peer in context.Members)
            if (peer != context.Self && !leadership.Contact.IsSilent(peer, context.Settings.ElectionTimeoutTicksMax)) heard++;
        return heard >= context.Majority;
    }

    private KeyValueState OnRequest(KeyValueContext context, KeyValueState state, KeyValueInput.Request request)
    {
        if (state.Leadership is not { } leadership)
        {
            context.Reply(request.Client, request.Sequence, new KeyValueReply.Redirect(state.Leader));
            return state;
        }
        if (state.Store.Sessions.TryGetValue(request.Client, out var session) && request.Sequence <= session.Sequence)
        {
            if (request.Sequence == session.Sequence && !Mutation.HasFlag(KeyValueMutation.NoDeduplication))
                context.Reply(request.Client, request.Sequence, session.Reply);
            if (!Mutation.HasFlag(KeyValueMutation.NoDeduplication)) return state;
        }
        if (Mutation.HasFlag(KeyValueMutation.LeaderReadsLocally) && request.Command is KeyValueCommand.Get get)
        {
            context.Reply(request.Client, request.Sequence, new KeyValueReply.Value(state.Store.Data.GetValueOrDefault(get.Key)));
            return state;
        }
        if (leadership.Pending.Length >= context.Settings.PendingCommandsMax || IsPending(leadership, request)) return state;

        var command = new ClientCommand(request.Client, request.Sequence, request.Command);
        return MaybePropose(context, state with { Leadership = leadership with { Pending = leadership.Pending.Add(command) } });
    }

    private static bool IsPending(Leadership leadership, KeyValueInput.Request request)
    {
        foreach (var command in leadership.Pending)
            if (command.Client == request.Client && command.Sequence == request.Sequence) return true;
        return false;
    }
}
