namespace OrleansNodes.Protocols.KeyValue;

/// <summary>
/// Tuning of the replicated key-value store. Times are in ticks (seed rule 2). The defaults suit
/// both the simulator and a host ticking every few tens of milliseconds.
/// </summary>
/// <param name="ElectionTimeoutTicksMin">
/// Shortest silence from the leader after which a follower campaigns. It must comfortably
/// exceed a round trip (prepare out, promise back) measured in the fastest node's ticks, or
/// candidates time out before their promises arrive and no election completes (Raft §5.6:
/// broadcast time ≪ election timeout).
/// </param>
/// <param name="ElectionTimeoutTicksMax">Longest such silence; each wait is drawn from [min, max] so candidates do not duel in lockstep.</param>
/// <param name="HeartbeatIntervalTicks">How often a leader heartbeats and retransmits unanswered accepts; well below the election timeout.</param>
/// <param name="BatchCommandsMax">Most client commands one log slot carries.</param>
/// <param name="InFlightSlotsMax">Most slots a leader proposes before earlier ones are chosen; requests arriving meanwhile wait and go out together, which is what batches them.</param>
/// <param name="PendingCommandsMax">Most writes a leader queues, and most gets it holds for a confirmation round; beyond it requests are dropped and clients retry.</param>
/// <param name="RetainedEntriesMax">
/// Most applied entries kept in memory past the snapshot point, to catch up a replica that is a
/// little behind with entries rather than the whole store. They cost memory, not writes: the
/// durable log is written per entry and compacted only by snapshots, and a snapshot puts back
/// only the newest of them, at most half of <paramref name="SnapshotLogBytesMin"/> (so a replica
/// that restarted catches a peer up with fewer entries). A replica further behind gets the store
/// in chunks.
/// </param>
/// <param name="CatchUpEntriesMax">Most entries one catch-up message carries (fewer when they exceed <paramref name="SnapshotChunkBytesMax"/>).</param>
/// <param name="SessionsMax">Most client sessions the dedup table keeps; the least recently active one is evicted beyond it.</param>
/// <param name="SnapshotLogBytesMin">
/// A snapshot is written once the log written since the last one (estimated bytes) reaches both
/// this and the size of the store itself, so every snapshot is paid for by at least as many bytes
/// of log and the cost of a batch stays proportional to the batch (Raft thesis §5.1.1). Entries a
/// snapshot puts back and had already applied do not count: the snapshot holds them.
/// </param>
/// <param name="SnapshotEntriesMax">A snapshot is also written after this many slots applied since the last, which bounds how much log recovery replays when entries are small.</param>
/// <param name="SnapshotChunkBytesMax">Most estimated bytes one snapshot chunk (in storage, or sent to a lagging replica) carries.</param>
/// <param name="PromiseBytesMax">
/// Most estimated bytes of applied entries a promise reports to a candidate that is behind; a
/// replica that would report more refuses the candidate instead, so no promise grows with the
/// values' size times <paramref name="RetainedEntriesMax"/>.
/// </param>
/// <param name="SnapshotLogStoreMultiple">
/// How many times the store's size the log written since the last snapshot must also reach
/// before the next (see <paramref name="SnapshotLogBytesMin"/>). Writing the store costs its size
/// and stalls the replica's flushes while it is written, so a larger multiple writes fewer bytes
/// per put (1 + 1/multiple times the log) and stalls less often. Its cost: recovery replays up to
/// this many store-sizes of log, and the disk holds as much log beside the snapshot. 2 measured
/// 22–56 % more 10 KB puts per second than 1 at 32 sessions, p99 220–245 ms against 285–355 ms
/// (docs/BENCHMARKS.md "10 KB puts under concurrency").
/// </param>
/// <param name="ReadPath">
/// How gets are answered. <see cref="KeyValueReadPath.ReadIndex"/>, the default, costs one heartbeat
/// round trip and writes nothing; <see cref="KeyValueReadPath.Log"/> proposes each batch of gets in
/// a slot, as writes are, which costs a phase 2 round and a durable write on every replica (3.5–3.8x
/// fewer gets per second from one session, docs/BENCHMARKS.md "Gets without the log"). An operator
/// may choose the log to take the newer path out of the picture while investigating a stale read;
/// the seeded suites check both.
/// </param>
[GenerateSerializer, Immutable, Alias("on.kv.KeyValueSettings")]
public sealed record KeyValueSettings(
    [property: Id(0)] int ElectionTimeoutTicksMin = 10,
    [property: Id(1)] int ElectionTimeoutTicksMax = 20,
    [property: Id(2)] int HeartbeatIntervalTicks = 2,
    [property: Id(3)] int BatchCommandsMax = 64,
    [property: Id(4)] int InFlightSlotsMax = 4,
    [property: Id(5)] int PendingCommandsMax = 1024,
    [property: Id(6)] int RetainedEntriesMax = 128,
    [property: Id(7)] int CatchUpEntriesMax = 16,
    [property: Id(8)] int SessionsMax = 1024,
    [property: Id(9)] long SnapshotLogBytesMin = 4 << 20,
    [property: Id(10)] long SnapshotEntriesMax = 100_000,
    [property: Id(11)] int SnapshotChunkBytesMax = 256 << 10,
    [property: Id(12)] long PromiseBytesMax = 8 << 20,
    [property: Id(13)] KeyValueReadPath ReadPath = KeyValueReadPath.ReadIndex,
    [property: Id(14)] int SnapshotLogStoreMultiple = 2)
{
    /// <summary>The defaults.</summary>
    public static readonly KeyValueSettings Default = new();

    /// <summary>
    /// Small windows, retention and snapshot budgets, so batching, compaction, snapshots in several
    /// chunks and catch-up from a snapshot all happen within the short runs a simulation suite makes.
    /// </summary>
    public static readonly KeyValueSettings SmallWindows = Default with
    {
        InFlightSlotsMax = 2,
        BatchCommandsMax = 4,
        RetainedEntriesMax = 6,
        CatchUpEntriesMax = 4,
        SnapshotLogBytesMin = 400,
        SnapshotLogStoreMultiple = 1,
        SnapshotEntriesMax = 12,
        SnapshotChunkBytesMax = 40,
        PromiseBytesMax = 300,
    };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        static void Require(bool ok, string name, object value, string rule)
        {
            if (!ok) throw new ArgumentOutOfRangeException(name, value, $"{name} {rule}");
        }

        Require(ElectionTimeoutTicksMin >= 1, nameof(ElectionTimeoutTicksMin), ElectionTimeoutTicksMin, "must be at least 1");
        Require(ElectionTimeoutTicksMax >= ElectionTimeoutTicksMin, nameof(ElectionTimeoutTicksMax), ElectionTimeoutTicksMax, "must be at least ElectionTimeoutTicksMin");
        Require(HeartbeatIntervalTicks >= 1, nameof(HeartbeatIntervalTicks), HeartbeatIntervalTicks, "must be at least 1");
        Require(BatchCommandsMax >= 1, nameof(BatchCommandsMax), BatchCommandsMax, "must be at least 1");
        Require(InFlightSlotsMax >= 1, nameof(InFlightSlotsMax), InFlightSlotsMax, "must be at least 1");
        Require(PendingCommandsMax >= 1, nameof(PendingCommandsMax), PendingCommandsMax, "must be at least 1");
        Require(RetainedEntriesMax >= 0, nameof(RetainedEntriesMax), RetainedEntriesMax, "must not be negative");
        Require(CatchUpEntriesMax >= 1, nameof(CatchUpEntriesMax), CatchUpEntriesMax, "must be at least 1");
        Require(SessionsMax >= 1, nameof(SessionsMax), SessionsMax, "must be at least 1");
        Require(SnapshotLogBytesMin >= 0, nameof(SnapshotLogBytesMin), SnapshotLogBytesMin, "must not be negative");
        Require(SnapshotLogStoreMultiple >= 1, nameof(SnapshotLogStoreMultiple), SnapshotLogStoreMultiple, "must be at least 1");
        Require(SnapshotEntriesMax >= 1, nameof(SnapshotEntriesMax), SnapshotEntriesMax, "must be at least 1");
        Require(SnapshotChunkBytesMax >= 1, nameof(SnapshotChunkBytesMax), SnapshotChunkBytesMax, "must be at least 1");
        Require(PromiseBytesMax >= 1, nameof(PromiseBytesMax), PromiseBytesMax, "must be at least 1");
        Require(Enum.IsDefined(ReadPath), nameof(ReadPath), ReadPath, "must be ReadIndex or Log");
    }
}
