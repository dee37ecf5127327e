using KeyValueContext = OrleansNodes.Core.StepContext<OrleansNodes.Protocols.KeyValue.KeyValueSettings, OrleansNodes.Protocols.KeyValue.KeyValueMessage, OrleansNodes.Protocols.KeyValue.KeyValueReply>;

namespace OrleansNodes.Protocols.KeyValue;

// What is durable and how it changes: log entries, snapshots and compaction, recovery, and
// snapshots sent to lagging followers in chunks (docs/design-decisions.md §9).
public partial class KeyValueProtocol
{
    /// <summary>
    /// Rebuilds a replica from its durable image: the store from the last snapshot, then every
    /// log entry after it replayed up to the applied index of the hard state; the log entries
    /// that follow stay in the log, and enough applied ones to catch up a peer that is a little
    /// behind. Leadership, campaigns, timers and a snapshot being received were volatile: the
    /// replica comes back a follower with a fresh election timeout, drawn from a generator seeded
    /// by its seed and its promise so that it does not replay the timeouts of an earlier life.
    /// </summary>
    /// <exception cref="InvalidDataException">The image is not one this protocol wrote: the log misses a slot it must replay.</exception>
    public override KeyValueState Recover(NodeConfig<KeyValueSettings> config, DurableImage image)
    {
        var settings = config.Settings;
        var hard = image.HardAs(KeyValueHardState.Initial);
        var store = image.Snapshot is { } snapshot ? KeyValueStore.FromChunks(snapshot.Chunks.Cast<KeyValueChunk>()) : KeyValueStore.Empty;
        if (store.AppliedIndex > hard.AppliedIndex)
            throw new InvalidDataException($"the snapshot ({store.AppliedIndex}) is ahead of the applied index ({hard.AppliedIndex})");

        // The applied entries a checkpoint put back for catch-up are covered by the snapshot and
        // do not count towards the next one (Checkpoint).
        var log = ImmutableSortedDictionary.CreateBuilder<long, LogEntry>();
        long bytes = 0;
        foreach (var (slot, entry) in image.Entries<LogEntry>())
        {
            log[slot] = entry;
            if (slot > store.AppliedIndex) bytes += entry.EstimatedBytes;
        }
        for (var slot = store.AppliedIndex + 1; slot <= hard.AppliedIndex; slot++)
        {
            if (!log.TryGetValue(slot, out var entry))
                throw new InvalidDataException($"the durable log misses slot {slot}, which the applied index {hard.AppliedIndex} covers");
            store = ApplyBatch(store, slot, entry.Value, settings.SessionsMax, reply: null);
        }

        // In memory: the applied entries the log holds contiguously up to the applied index, at
        // most RetainedEntriesMax of them, and every entry after it.
        var compacted = hard.AppliedIndex;
        while (compacted > 0 && log.ContainsKey(compacted) && hard.AppliedIndex - compacted < settings.RetainedEntriesMax) compacted--;
        var kept = log.ToImmutable();
        foreach (var slot in kept.Keys)
        {
            if (slot > compacted) break;
            log.Remove(slot);
        }

        var random = SeededRandom.From(SeededRandom.Mix(config.Seed, (ulong)hard.Promised.Round));
        return Init(config) with
        {
            Promised = hard.Promised,
            Log = log.ToImmutable(),
            CompactedIndex = compacted,
            Store = store,
            DurableApplied = store.AppliedIndex,
            SinceSnapshot = new LogSinceSnapshot(image.Snapshot?.Index ?? 0, bytes),
            Timers = KeyValueTimers.Start(settings, random),
        };
    }

    /// <summary>Writes <paramref name="entry"/> at <paramref name="slot"/>, in the log and durably.</summary>
    private static KeyValueState WithEntry(KeyValueContext context, KeyValueState state, long slot, LogEntry entry)
    {
        context.Durable.Put(slot, entry);
        return state with { Log = state.Log.SetItem(slot, entry), SinceSnapshot = state.SinceSnapshot.Add(entry.EstimatedBytes) };
    }

    /// <summary>
    /// Records <paramref name="chosen"/> at <paramref name="slot"/>. When the log already holds the
    /// same vote there, only the in-memory "chosen" mark changes and nothing is written: knowing
    /// a value is chosen is safe to forget and re-learn, and the applied index (hard state)
    /// records what recovery must replay.
    /// </summary>
    private static KeyValueState WithChosen(KeyValueContext context, KeyValueState state, long slot, LogEntry chosen) =>
        state.Log.TryGetValue(slot, out var existing) && existing.SameVote(chosen)
            ? state with { Log = state.Log.SetItem(slot, chosen) }
            : WithEntry(context, state, slot, chosen);

    /// <summary>
    /// After a step that applied slots: keeps at most <see cref="KeyValueSettings.RetainedEntriesMax"/>
    /// applied entries in memory (past that, the older half goes, so trimming is amortized over
    /// many steps; entries applied in this very step stay until the next, so every decision is
    /// visible to the properties checked after the step), and writes a snapshot when one is due.
    /// </summary>
    private KeyValueState MaybeCompact(KeyValueContext context, KeyValueState state, long appliedBefore)
    {
        var settings = context.Settings;
        var applied = state.Store.AppliedIndex;
        if (applied - state.CompactedIndex > settings.RetainedEntriesMax)
        {
            var compactTo = Math.Min(applied - settings.RetainedEntriesMax / 2, appliedBefore);
            if (compactTo > state.CompactedIndex)
            {
                var log = state.Log.ToBuilder();
                foreach (var slot in state.Log.Keys)
                {
                    if (slot > compactTo) break;
                    log.Remove(slot);
                }
                state = state with { Log = log.ToImmutable(), CompactedIndex = compactTo };
            }
        }
        return IsSnapshotDue(settings, state) ? Checkpoint(context, state) : state;
    }

    /// <summary>
    /// A snapshot is due once the log written since the last one outgrows both the minimum and
    /// <see cref="KeyValueSettings.SnapshotLogStoreMultiple"/> times the store, or enough slots were
    /// applied since: each snapshot is then paid for by at least as many bytes of log, so a batch
    /// costs what it wrote, amortized (Raft thesis §5.1.1).
    /// </summary>
    private static bool IsSnapshotDue(KeyValueSettings settings, KeyValueState state)
    {
        var since = state.SinceSnapshot;
        if (state.Store.AppliedIndex <= since.SnapshotIndex) return false;
        return since.Bytes >= Math.Max(settings.SnapshotLogBytesMin, settings.SnapshotLogStoreMultiple * state.Store.DataBytes) ||
               state.Store.AppliedIndex - since.SnapshotIndex >= settings.SnapshotEntriesMax;
    }

    /// <summary>
    /// Writes the store as the durable snapshot (in chunks, enumerated by the host when it
    /// flushes) and puts back what the durable log must still hold, since the snapshot replaces
    /// it: every entry after the applied index (promises to peers that must survive a crash), and
    /// the newest applied entries retained for catch-up, contiguous down from the applied index,
    /// while they add up to at most half of <see cref="KeyValueSettings.SnapshotLogBytesMin"/>.
    /// </summary>
    /// <remarks>
    /// Only the entries after the applied index count towards the next snapshot: the applied ones
    /// are in this snapshot already. Counting them, with large values, made the retained entries
    /// alone (up to <see cref="KeyValueSettings.RetainedEntriesMax"/> batches of
    /// <see cref="KeyValueSettings.BatchCommandsMax"/> commands) outgrow the store, so the very
    /// next applied slot wrote the whole store again (docs/BENCHMARKS.md "10 KB puts under
    /// concurrency"). The byte
    /// bound keeps a snapshot's cost near the store's size: a replica that restarts keeps fewer
    /// entries to catch up a peer with, and sends a lagging peer the store instead.
    /// </remarks>
    private static KeyValueState Checkpoint(KeyValueContext context, KeyValueState state)
    {
        var applied = state.Store.AppliedIndex;
        context.Durable.Snapshot(applied, state.Store.Chunks(context.Settings.SnapshotChunkBytesMax));
        var retainedBytesMax = context.Settings.SnapshotLogBytesMin / 2;
        long retainedBytes = 0;
        var retainedFrom = applied + 1;
        while (state.Log.TryGetValue(retainedFrom - 1, out var retained) && retainedBytes + retained.EstimatedBytes <= retainedBytesMax)
        {
            retainedBytes += retained.EstimatedBytes;
            retainedFrom--;
        }
        long bytes = 0;
        foreach (var (slot, entry) in state.Log)
        {
            if (slot < retainedFrom) continue;
            context.Durable.Put(slot, entry);
            if (slot > applied) bytes += entry.EstimatedBytes;
        }
        return state with { SinceSnapshot = new LogSinceSnapshot(applied, bytes) };
    }

    /// <summary>
    /// Replaces the store with a newer one received from the leader, drops the log entries it
    /// covers, and writes it as the durable snapshot.
    /// </summary>
    private KeyValueState Install(KeyValueContext context, KeyValueState state, KeyValueStore snapshot)
    {
        var log = state.Log;
        foreach (var slot in state.Log.Keys)
        {
            if (slot > snapshot.AppliedIndex) break;
            log = log.Remove(slot);
        }
        var installed = Checkpoint(context, state with { Store = snapshot, Log = log, CompactedIndex = snapshot.AppliedIndex, Receiving = null });
        return MaybeApply(context, installed);
    }

    /// <summary>
    /// A follower's applied index is behind the leader's compaction point: start sending it the
    /// store as it is now, chunk by chunk, unless a transfer to it that would help is under way.
    /// </summary>
    private static Leadership MaybeStartTransfer(KeyValueContext context, KeyValueState state, Leadership leadership, NodeId follower, long followerApplied)
    {
        if (leadership.Transfers.TryGetValue(follower, out var running) && running.Snapshot.AppliedIndex > followerApplied) return leadership;
        var transfer = new SnapshotTransfer(state.Store, 0);
        SendChunk(context, leadership.Ballot, follower, transfer);
        return leadership with { Transfers = leadership.Transfers.SetItem(follower, transfer) };
    }

    private static void SendChunk(KeyValueContext context, Ballot ballot, NodeId to, SnapshotTransfer transfer) =>
        context.Send(to, new SnapshotChunk(ballot, transfer.Snapshot.Chunk(transfer.Acknowledged, context.Settings.SnapshotChunkBytesMax)));

    /// <summary>On a heartbeat, every transfer resends the chunk its follower asked for last: chunks and acknowledgements may be lost.</summary>
    private static void RetransmitChunks(KeyValueContext context, Leadership leadership)
    {
        foreach (var (follower, transfer) in leadership.Transfers) SendChunk(context, leadership.Ballot, follower, transfer);
    }

    /// <summary>
    /// A follower takes the chunk that starts where its receipt ends (a new snapshot starts over at
    /// position 0), answers with the position it wants next, and installs the store once the last
    /// chunk is in. A snapshot is a fact about chosen slots whoever sends it; only a newer store
    /// than the follower's own is of any use.
    /// </summary>
    private KeyValueState OnSnapshotChunk(KeyValueContext context, KeyValueState state, NodeId from, SnapshotChunk message)
    {
        if (state.Leadership is not null) return state;
        var chunk = message.Chunk;
        if (chunk.AppliedIndex <= state.Store.AppliedIndex)
        {
            context.Send(from, new SnapshotChunkAck(message.Ballot, chunk.AppliedIndex, chunk.ItemCount));
            return state;
        }

        var receipt = state.Receiving is { } current && current.Index == chunk.AppliedIndex ? current : null;
        if (receipt is null && chunk.Position == 0) receipt = new SnapshotReceipt(chunk.AppliedIndex, []);
        if (receipt is null || chunk.Position != receipt.Next)
        {
            context.Send(from, new SnapshotChunkAck(message.Ballot, chunk.AppliedIndex, receipt?.Next ?? 0));
            return state;
        }

        receipt = receipt with { Chunks = receipt.Chunks.Add(chunk) };
        context.Send(from, new SnapshotChunkAck(message.Ballot, chunk.AppliedIndex, receipt.Next));
        return receipt.IsComplete
            ? Install(context, state, KeyValueStore.FromChunks(receipt.Chunks))
            : state with { Receiving = receipt };
    }

    /// <summary>
    /// The follower wants the snapshot from <c>Next</c> on: send that chunk, or end the transfer
    /// once it has everything. The acknowledged position may move back (a follower that restarted
    /// mid-transfer starts over), so it is taken as said.
    /// </summary>
    private static KeyValueState OnSnapshotChunkAck(KeyValueContext context, KeyValueState state, NodeId from, SnapshotChunkAck ack)
    {
        if (state.Leadership is not { } leadership || ack.Ballot != leadership.Ballot ||
            !leadership.Transfers.TryGetValue(from, out var transfer) || transfer.Snapshot.AppliedIndex != ack.SnapshotIndex) return state;
        leadership = Heard(leadership, from);
        if (ack.Next >= transfer.Snapshot.ItemCount)
            return state with { Leadership = leadership with { Transfers = leadership.Transfers.Remove(from) } };
        if (ack.Next == transfer.Acknowledged) return state with { Leadership = leadership };
        transfer = transfer with { Acknowledged = ack.Next };
        SendChunk(context, leadership.Ballot, from, transfer);
        return state with { Leadership = leadership with { Transfers = leadership.Transfers.SetItem(from, transfer) } };
    }
}
