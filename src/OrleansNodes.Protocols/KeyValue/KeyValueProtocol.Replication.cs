using KeyValueContext = OrleansNodes.Core.StepContext<OrleansNodes.Protocols.KeyValue.KeyValueSettings, OrleansNodes.Protocols.KeyValue.KeyValueMessage, OrleansNodes.Protocols.KeyValue.KeyValueReply>;

namespace OrleansNodes.Protocols.KeyValue;

// Phase 2 and learning: proposing batches, accepting, committing, applying, catching up with entries.
public partial class KeyValueProtocol
{
    /// <summary>
    /// Proposes queued requests while the window of unchosen proposals has room. Requests that
    /// arrive while the window is full wait and leave together in one slot: batching comes
    /// from back-pressure, with no timer adding latency when the leader is idle.
    /// </summary>
    private static KeyValueState MaybePropose(KeyValueContext context, KeyValueState state)
    {
        if (state.Leadership is not { } leadership || leadership.Pending.IsEmpty ||
            leadership.InFlight.Count >= context.Settings.InFlightSlotsMax) return state;

        var pending = leadership.Pending;
        var inFlight = leadership.InFlight;
        var slot = leadership.NextSlot;
        while (!pending.IsEmpty && inFlight.Count < context.Settings.InFlightSlotsMax)
        {
            var count = Math.Min(pending.Length, context.Settings.BatchCommandsMax);
            var batch = new KeyValueBatch(pending.Slice(0, count));
            pending = pending.RemoveRange(0, count);
            inFlight = inFlight.Add(slot, new Proposal(batch, 0));
            context.SendToAll(new Accept(leadership.Ballot, slot, batch, state.Store.AppliedIndex));
            slot++;
        }
        return state with { Leadership = leadership with { NextSlot = slot, InFlight = inFlight, Pending = pending } };
    }

    /// <summary>
    /// Accepts and snapshot chunks are one-way and may be lost: on every heartbeat the leader
    /// resends accepts to acceptors that have not answered and the wanted chunk of every transfer.
    /// </summary>
    private static void Retransmit(KeyValueContext context, KeyValueState state, Leadership leadership)
    {
        foreach (var (slot, proposal) in leadership.InFlight)
            foreach (var member in context.Members)
                if (!proposal.HasVoteFrom(member))
                    context.Send(member, new Accept(leadership.Ballot, slot, proposal.Value, state.Store.AppliedIndex));
        RetransmitChunks(context, leadership);
    }

    private KeyValueState OnAccept(KeyValueContext context, KeyValueState state, NodeId from, Accept accept)
    {
        if (accept.Ballot < state.Promised)
        {
            context.Send(from, new Preempted(state.Promised));
            return state;
        }
        var next = Follow(context, state, accept.Ballot);
        next = StoreAccepted(context, next, accept);
        context.Send(from, new Accepted(accept.Ballot, accept.Slot));
        return MaybeApply(context, next, accept.Ballot, accept.CommitIndex);
    }

    /// <summary>
    /// Records an accepted value, in the log and durably: the <c>Accepted</c> answer leaves only
    /// after the entry is written. Slots already applied or known chosen keep what they have:
    /// Paxos guarantees any later proposal there carries the same value, so acknowledging
    /// without storing is safe.
    /// </summary>
    private static KeyValueState StoreAccepted(KeyValueContext context, KeyValueState state, Accept accept)
    {
        if (accept.Slot <= state.Store.AppliedIndex) return state;
        if (state.Log.TryGetValue(accept.Slot, out var existing) && (existing.Chosen || existing.Ballot == accept.Ballot)) return state;
        return WithEntry(context, state, accept.Slot, new LogEntry(accept.Ballot, accept.Value, Chosen: false));
    }

    private KeyValueState OnAccepted(KeyValueContext context, KeyValueState state, NodeId from, Accepted accepted)
    {
        if (state.Leadership is not { } leadership || accepted.Ballot != leadership.Ballot) return state;
        leadership = Heard(leadership, from);
        if (!leadership.InFlight.TryGetValue(accepted.Slot, out var proposal) || proposal.HasVoteFrom(from))
            return ReferenceEquals(leadership, state.Leadership) ? state : state with { Leadership = leadership };

        proposal = proposal.WithVote(from);
        if (proposal.VoteCount < context.Majority)
            return state with { Leadership = leadership with { InFlight = leadership.InFlight.SetItem(accepted.Slot, proposal) } };

        var next = state with { Leadership = leadership with { InFlight = leadership.InFlight.Remove(accepted.Slot) } };
        if (accepted.Slot > state.Store.AppliedIndex) next = WithChosen(context, next, accepted.Slot, new LogEntry(leadership.Ballot, proposal.Value, Chosen: true));
        return MaybePropose(context, MaybeApply(context, next));
    }

    private static Leadership Heard(Leadership leadership, NodeId from)
    {
        var contact = leadership.Contact.Heard(from);
        return ReferenceEquals(contact, leadership.Contact) ? leadership : leadership with { Contact = contact };
    }

    private KeyValueState OnHeartbeat(KeyValueContext context, KeyValueState state, NodeId from, Heartbeat heartbeat)
    {
        if (heartbeat.Ballot < state.Promised)
        {
            context.Send(from, new Preempted(state.Promised));
            return state;
        }
        var next = MaybeApply(context, Follow(context, state, heartbeat.Ballot), heartbeat.Ballot, heartbeat.CommitIndex);
        context.Send(from, new HeartbeatAck(heartbeat.Ballot, next.Store.AppliedIndex, heartbeat.ReadRound));
        return next;
    }

    /// <summary>
    /// Hearing from the leader of <paramref name="ballot"/> (at least as new as our promise):
    /// stand down if we led or campaigned in an older ballot, or were only asking for a
    /// pre-vote (the leader is alive after all), adopt the promise, and restart the election
    /// timeout. A leader hearing its own accept changes nothing but its promise.
    /// </summary>
    private static KeyValueState Follow(KeyValueContext context, KeyValueState state, Ballot ballot)
    {
        var next = state.Campaign is { Probing: true } ? StepDown(context, state, ballot.Node) : StandDownBefore(context, state, ballot);
        if (next.OwnBallot == ballot) return next.Promised == ballot ? next : next with { Promised = ballot };
        if (next.Promised == ballot && next.Leader == ballot.Node && next.Timers.Election.ElapsedTicks == 0) return next;
        return next with
        {
            Promised = ballot,
            Leader = ballot.Node,
            Timers = next.Timers with { Election = next.Timers.Election.Restart() },
        };
    }

    private static KeyValueState OnHeartbeatAck(KeyValueContext context, KeyValueState state, NodeId from, HeartbeatAck ack)
    {
        if (state.Leadership is not { } leadership || ack.Ballot != leadership.Ballot) return state;
        var heard = Heard(leadership, from);
        if (ack.AppliedIndex < state.CompactedIndex) heard = MaybeStartTransfer(context, state, heard, from, ack.AppliedIndex);
        else if (ack.AppliedIndex < state.Store.AppliedIndex) SendCatchUp(context, state, leadership.Ballot, from, ack.AppliedIndex);
        if (heard.Transfers.TryGetValue(from, out var transfer) && ack.AppliedIndex >= transfer.Snapshot.AppliedIndex)
            heard = heard with { Transfers = heard.Transfers.Remove(from) };
        if (ack.ReadRound != 0) heard = ConfirmRead(context, heard, from, ack.ReadRound);
        return ReferenceEquals(heard, leadership) ? state : state with { Leadership = heard };
    }

    /// <summary>
    /// The chosen entries after <paramref name="followerApplied"/>, as many as
    /// <see cref="KeyValueSettings.CatchUpEntriesMax"/> and <see cref="KeyValueSettings.SnapshotChunkBytesMax"/>
    /// allow (at least one).
    /// </summary>
    private static void SendCatchUp(KeyValueContext context, KeyValueState state, Ballot ballot, NodeId to, long followerApplied)
    {
        var last = Math.Min(state.Store.AppliedIndex, followerApplied + context.Settings.CatchUpEntriesMax);
        var entries = ImmutableArray.CreateBuilder<SlotEntry>((int)(last - followerApplied));
        long bytes = 0;
        for (var slot = followerApplied + 1; slot <= last && state.Log.TryGetValue(slot, out var entry); slot++)
        {
            if (entries.Count > 0 && bytes + entry.EstimatedBytes > context.Settings.SnapshotChunkBytesMax) break;
            entries.Add(new SlotEntry(slot, entry.Chosen ? entry : entry with { Chosen = true }));
            bytes += entry.EstimatedBytes;
        }
        context.Send(to, new CatchUp(ballot, entries.DrainToImmutable()));
    }

    /// <summary>
    /// Chosen entries are facts whoever sends them, so a follower takes them regardless of
    /// ballot, writes them, and answers with its applied index so the leader sends the next ones
    /// at once instead of on the next heartbeat. A leader ignores them: it has run phase 1 and
    /// knows every chosen slot it needs.
    /// </summary>
    private KeyValueState OnCatchUp(KeyValueContext context, KeyValueState state, NodeId from, CatchUp catchUp)
    {
        if (state.Leadership is not null) return state;
        var next = state;
        foreach (var (slot, entry) in catchUp.Entries)
            if (slot > state.Store.AppliedIndex && entry.Chosen && next.Log.GetValueOrDefault(slot) is not { Chosen: true })
                next = WithChosen(context, next, slot, entry);
        if (ReferenceEquals(next, state)) return state;
        next = MaybeApply(context, next);
        context.Send(from, new HeartbeatAck(catchUp.Ballot, next.Store.AppliedIndex));
        return next;
    }

    /// <summary>
    /// Applies chosen slots in order, from the first unapplied one until a gap or an entry not
    /// known chosen. With a commit hint, an entry accepted in <paramref name="ballot"/> at or
    /// below <paramref name="commitIndex"/> counts as chosen. The leader answers clients.
    /// </summary>
    private KeyValueState MaybeApply(KeyValueContext context, KeyValueState state, Ballot? ballot = null, long commitIndex = 0)
    {
        var next = NextToApply(state.Log, state.Store.AppliedIndex, ballot, commitIndex);
        if (next is null) return state;
        Action<ClientCommand, KeyValueReply>? reply = state.Leadership is null
            ? null
            : (command, result) => context.Reply(command.Client, command.Sequence, result);
        var store = state.Store;
        for (; next is { } entry; next = NextToApply(state.Log, store.AppliedIndex, ballot, commitIndex))
            store = ApplyBatch(store, entry.Slot, entry.Entry.Value, context.Settings.SessionsMax, reply);
        return state with { Store = store };
    }
}
