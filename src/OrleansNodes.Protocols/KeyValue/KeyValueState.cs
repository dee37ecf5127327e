namespace OrleansNodes.Protocols.KeyValue;

/// <summary>
/// One replica's state. Durable, in three parts (docs/design-decisions.md §9): the hard state
/// (<see cref="Promised"/> and <see cref="DurableApplied"/>, <see cref="KeyValueHardState"/>), the
/// log (each entry written when its ballot or value changes) and the snapshot (the store, written
/// when the log since the last one has outgrown it). Everything else is volatile and rebuilt by
/// <c>Recover</c>: timers, leadership, campaigns, and a snapshot being received. Large parts
/// (log, store) are shared between successive states.
/// </summary>
/// <param name="Promised">The acceptor's promise: it accepts nothing older. Durable: forgetting it breaks Paxos.</param>
/// <param name="Leader">The leader this replica believes in, for redirects; null when unknown.</param>
/// <param name="Log">Slots after <see cref="CompactedIndex"/> held in memory: accepted or chosen values. Every one is also in the durable log.</param>
/// <param name="CompactedIndex">Slots up to here are only in <see cref="Store"/> (in memory); never above its applied index.</param>
/// <param name="Store">The state machine with every slot up to its applied index applied.</param>
/// <param name="SinceSnapshot">The durable snapshot's index and how much log has been written since it.</param>
/// <param name="Timers">Election and heartbeat counters and the seeded random source.</param>
/// <param name="Campaign">Set while a pre-candidate or candidate.</param>
/// <param name="Leadership">Set while the leader.</param>
/// <param name="Receiving">Set while a snapshot from the leader is arriving in chunks.</param>
/// <param name="DurableApplied">
/// The applied index the hard state records, at most the store's. It catches up only in steps
/// that write anyway (a log entry, a snapshot, a new promise), so applying alone costs no write:
/// the batch that learns a slot is chosen replies to its clients without waiting for a flush, as
/// an etcd leader applies while its log write is in flight. Safe because every slot applied is
/// chosen, so durable on a majority: a replica that crashes before recording it replays its
/// durable log up to this index and learns the rest again, from the leader's commit index, its
/// catch-up entries, or as leader from its own phase 1.
/// </param>

[GenerateSerializer, Immutable, Alias("on.kv.KeyValueState")]
public sealed record KeyValueState(
    [property: Id(0)] Ballot Promised,
    [property: Id(1)] NodeId? Leader,
    [property: Id(2)] ImmutableSortedDictionary<long, LogEntry> Log,
    [property: Id(3)] long CompactedIndex,
    [property: Id(4)] KeyValueStore Store,
    [property: Id(5)] LogSinceSnapshot SinceSnapshot,
    [property: Id(6)] KeyValueTimers Timers,
    [property: Id(7)] Campaign? Campaign,
    [property: Id(8)] Leadership? Leadership,
    [property: Id(9)] SnapshotReceipt? Receiving,
    [property: Id(10)] long DurableApplied = 0)
{
    /// <summary>Leader, candidate or follower.</summary>
    public KeyValueRole Role =>
        Leadership is not null ? KeyValueRole.Leader
        : Campaign is { Probing: true } ? KeyValueRole.PreCandidate
        : Campaign is not null ? KeyValueRole.Candidate
        : KeyValueRole.Follower;

    /// <summary>The ballot this replica leads or campaigns in, if any.</summary>
    public Ballot? OwnBallot => Leadership?.Ballot ?? Campaign?.Ballot;

    /// <summary>The last applied slot; every slot up to it is chosen.</summary>
    public long AppliedIndex => Store.AppliedIndex;

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Role} leader={Leader?.ToString() ?? "?"} ballot={OwnBallot?.ToString() ?? "-"} promised={Promised} " +
        $"applied={Store.AppliedIndex} compacted={CompactedIndex} log={Log.Count} snapshot={SinceSnapshot.SnapshotIndex} " +
        $"keys={Store.Data.Count} " +
        (Leadership is { } leadership
            ? $"in-flight={leadership.InFlight.Count} pending={leadership.Pending.Length} heartbeat={Timers.Heartbeat}" +
              (leadership.Transfers.IsEmpty ? "" : $" sending-snapshots={leadership.Transfers.Count}")
            : $"election={Timers.Election}" + (Receiving is { } receiving ? $" {receiving}" : ""));
}
