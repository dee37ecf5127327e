using KeyValueContext = OrleansNodes.Core.StepContext<OrleansNodes.Protocols.KeyValue.KeyValueSettings, OrleansNodes.Protocols.KeyValue.KeyValueMessage, OrleansNodes.Protocols.KeyValue.KeyValueReply>;
using KeyValueInput = OrleansNodes.Core.Input<OrleansNodes.Protocols.KeyValue.KeyValueMessage, OrleansNodes.Protocols.KeyValue.KeyValueCommand>;

namespace OrleansNodes.Protocols.KeyValue;

/// <summary>
/// A linearizable replicated key-value store on Multi-Paxos, as a pure step function.
/// </summary>
/// <remarks>
/// <para><b>Roles</b> ("Paxos Made Moderately Complex", van Renesse and Altinbuken). Every replica
/// is an acceptor and a learner; one at a time is the leader, which is also the proposer. A
/// follower that hears nothing from a leader for a randomized election timeout first asks for
/// a pre-vote (would a majority promise?), then campaigns: it runs phase 1 once for its new
/// ballot, covering every slot from its first unchosen slot on.
/// Promises report each slot the acceptor holds there; the new leader re-proposes the reported
/// values in its own ballot (chosen values as they are, otherwise the newest accepted one) and
/// fills gaps with no-ops (§3 and "Paxos Made Simple" §3). From then on a client batch costs
/// phase 2 only: one round trip to a majority.</para>
/// <para><b>Learning.</b> The leader alone counts accepts. Followers learn through the commit
/// index carried on accepts and heartbeats (as Raft does); a follower whose log does not match
/// answers a heartbeat with its applied index, and the leader sends the missing chosen entries,
/// or its store in chunks when the follower is behind the compaction point.</para>
/// <para><b>Clients</b> name each request by (client, sequence). Writes go through the log; gets,
/// by default, do not: the leader answers them from its store after one heartbeat round confirms
/// it still leads (ReadIndex, Raft thesis §6.4; <see cref="KeyValueSettings.ReadPath"/> can send
/// them through the log instead). Neither assumes a clock. The dedup table in the store applies
/// each request at most once and answers retries with the saved reply. Followers redirect
/// clients to the leader they know.</para>
/// <para><b>Durability</b> (docs/design-decisions.md §9). The hard state is the promise and the
/// applied index; each log entry is written when its ballot or value changes; the store is
/// written as a snapshot, in chunks, once the log written since the last snapshot has outgrown
/// the store ("Paxos Made Live" §5.5, Raft thesis §5.1.1). A batch therefore writes what it
/// changed, and a tick writes nothing. Recovery loads the snapshot and replays the log up to the
/// applied index. In memory, applied entries beyond <see cref="KeyValueSettings.RetainedEntriesMax"/>
/// are dropped, and proposals in flight, queued requests and sessions are bounded by settings.</para>
/// <para>The <c>protected virtual</c> members are seams for mutation tests, which override them
/// to prove the properties catch the bug; the store never overrides them.</para>
/// </remarks>
public partial class KeyValueProtocol : Protocol<KeyValueSettings, KeyValueState, KeyValueMessage, KeyValueCommand, KeyValueReply>
{
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
            default,
            KeyValueTimers.Start(config.Settings, SeededRandom.From(config.Seed)),
            null,
            null,
            null);

    /// <summary>The promise and the applied index last recorded with a write (<see cref="KeyValueHardState"/>, <see cref="KeyValueState.DurableApplied"/>).</summary>
    public override object HardState(KeyValueState state) => new KeyValueHardState(state.Promised, state.DurableApplied);

    /// <inheritdoc/>
    public override string Describe(KeyValueState state) => state.ToString();

    /// <summary>
    /// Role, the leader believed in, and the ballot led or campaigned in (else the one promised).
    /// A replica applies each slot as soon as it and every slot before it are chosen, so the end
    /// of its gap-free chosen prefix (Raft's commit index) is its applied index.
    /// </summary>
    public override NodeView Inspect(KeyValueState state) => new(
        state.Role switch
        {
            KeyValueRole.Leader => "leader",
            KeyValueRole.Candidate => "candidate",
            KeyValueRole.PreCandidate => "pre-candidate",
            _ => "follower",
        },
        Leading: state.Leadership is not null,
        state.Leader,
        (state.OwnBallot ?? state.Promised).ToString(),
        Commit: state.AppliedIndex,
        Applied: state.AppliedIndex);

    /// <inheritdoc/>
    public override KeyValueState Step(KeyValueContext context, KeyValueState state, KeyValueInput input)
    {
        var next = input switch
        {
            KeyValueInput.Tick => OnTick(context, state),
            KeyValueInput.Request request => OnRequest(context, state, request),
            KeyValueInput.Receive { Message: PreVote preVote } receive => OnPreVote(context, state, receive.From, preVote),
            KeyValueInput.Receive { Message: PreVoteGranted granted } receive => OnPreVoteGranted(context, state, receive.From, granted),
            KeyValueInput.Receive { Message: Prepare prepare } receive => OnPrepare(context, state, receive.From, prepare),
            KeyValueInput.Receive { Message: Promise promise } receive => OnPromise(context, state, receive.From, promise),
            KeyValueInput.Receive { Message: Accept accept } receive => OnAccept(context, state, receive.From, accept),
            KeyValueInput.Receive { Message: Accepted accepted } receive => OnAccepted(context, state, receive.From, accepted),
            KeyValueInput.Receive { Message: Preempted preempted } => OnPreempted(context, state, preempted),
            KeyValueInput.Receive { Message: Heartbeat heartbeat } receive => OnHeartbeat(context, state, receive.From, heartbeat),
            KeyValueInput.Receive { Message: HeartbeatAck ack } receive => OnHeartbeatAck(context, state, receive.From, ack),
            KeyValueInput.Receive { Message: CatchUp catchUp } receive => OnCatchUp(context, state, receive.From, catchUp),
            KeyValueInput.Receive { Message: SnapshotChunk chunk } receive => OnSnapshotChunk(context, state, receive.From, chunk),
            KeyValueInput.Receive { Message: SnapshotChunkAck ack } receive => OnSnapshotChunkAck(context, state, receive.From, ack),
            _ => throw new ArgumentOutOfRangeException(nameof(input), input, "unknown input"),
        };
        if (!ReferenceEquals(next.Store, state.Store)) next = MaybeCompact(context, next, appliedBefore: state.Store.AppliedIndex);
        if (next.Leadership is { Reads.Waiting.IsEmpty: false }) next = AnswerReads(context, next);
        return RecordApplied(context, state, next);
    }

    /// <summary>
    /// Brings the hard state's applied index up to the store's when this step writes anyway; a
    /// step that only applied writes nothing (<see cref="KeyValueState.DurableApplied"/>).
    /// </summary>
    private static KeyValueState RecordApplied(KeyValueContext context, KeyValueState before, KeyValueState next)
    {
        if (next.DurableApplied == next.Store.AppliedIndex) return next;
        var writes = !context.Durable.IsEmpty || next.Promised != before.Promised;
        return writes ? next with { DurableApplied = next.Store.AppliedIndex } : next;
    }

    /// <summary>
    /// Whether the store has already applied request <paramref name="sequence"/> of
    /// <paramref name="client"/> (or a later one), so it is answered from the dedup table instead
    /// of being proposed again. A seam for mutation tests.
    /// </summary>
    protected virtual bool IsApplied(KeyValueStore store, ClientId client, long sequence) =>
        store.Sessions.TryGetValue(client, out var session) && sequence <= session.Sequence;

    /// <summary>Applies the batch chosen for <paramref name="slot"/> to <paramref name="store"/>. A seam for mutation tests.</summary>
    protected virtual KeyValueStore ApplyBatch(KeyValueStore store, long slot, KeyValueBatch batch, int sessionsMax, Action<ClientCommand, KeyValueReply>? reply) =>
        store.Apply(slot, batch, sessionsMax, reply);

    /// <summary>
    /// The next slot to apply after <paramref name="applied"/>: the very next one, once it is
    /// known chosen (with a commit hint, an entry accepted in <paramref name="ballot"/> at or below
    /// <paramref name="commitIndex"/> counts as chosen). A seam for mutation tests.
    /// </summary>
    protected virtual SlotEntry? NextToApply(ImmutableSortedDictionary<long, LogEntry> log, long applied, Ballot? ballot, long commitIndex)
    {
        var slot = applied + 1;
        return log.TryGetValue(slot, out var entry) && (entry.Chosen || (entry.Ballot == ballot && slot <= commitIndex))
            ? new SlotEntry(slot, entry)
            : null;
    }

    private KeyValueState OnTick(KeyValueContext context, KeyValueState state) =>
        state.Leadership is { } leadership ? TickLeader(context, state, leadership) : TickElection(context, state);

    private static KeyValueState TickElection(KeyValueContext context, KeyValueState state)
    {
        var timers = state.Timers with { Election = state.Timers.Election.Advance() };
        return timers.Election.IsExpired ? StartPreVote(context, state with { Timers = timers }) : state with { Timers = timers };
    }

    private KeyValueState TickLeader(KeyValueContext context, KeyValueState state, Leadership leadership)
    {
        leadership = leadership with { Contact = leadership.Contact.Tick() };
        if (!HasQuorumContact(context, leadership)) return StepDown(context, state, leader: null);

        var heartbeat = state.Timers.Heartbeat.Advance();
        if (!heartbeat.IsExpired)
            return state with { Leadership = leadership, Timers = state.Timers with { Heartbeat = heartbeat } };

        context.Broadcast(new Heartbeat(leadership.Ballot, state.Store.AppliedIndex, leadership.ReadsOrNone.Round));
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
        if (IsApplied(state.Store, request.Client, request.Sequence))
        {
            if (state.Store.Sessions.TryGetValue(request.Client, out var session) && request.Sequence == session.Sequence)
                context.Reply(request.Client, request.Sequence, session.Reply);
            return state;
        }
        if (request.Command is KeyValueCommand.Get get && context.Settings.ReadPath == KeyValueReadPath.ReadIndex)
            return Read(context, state, leadership, request, get);
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
