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
/// <param name="PendingCommandsMax">Most requests a leader queues; beyond it requests are dropped and clients retry.</param>
/// <param name="RetainedEntriesMax">
/// Most applied entries kept past the snapshot to catch up lagging replicas cheaply; older ones
/// are compacted away. Small, because the whole state is written after every batch: with 64
/// entries of up to 64 commands the leader re-serialized them on every write and replicated puts
/// fell to 0.41 of a single grain's rate; with 8 they reach 0.94 (docs/BENCHMARKS.md). A replica
/// further behind gets the snapshot instead.
/// </param>
/// <param name="CatchUpEntriesMax">Most entries one catch-up message carries.</param>
/// <param name="SessionsMax">Most client sessions the dedup table keeps; the least recently active one is evicted beyond it.</param>
[GenerateSerializer, Immutable, Alias("on.kv.KeyValueSettings")]
public sealed record KeyValueSettings(
    [property: Id(0)] int ElectionTimeoutTicksMin = 10,
    [property: Id(1)] int ElectionTimeoutTicksMax = 20,
    [property: Id(2)] int HeartbeatIntervalTicks = 2,
    [property: Id(3)] int BatchCommandsMax = 64,
    [property: Id(4)] int InFlightSlotsMax = 4,
    [property: Id(5)] int PendingCommandsMax = 1024,
    [property: Id(6)] int RetainedEntriesMax = 8,
    [property: Id(7)] int CatchUpEntriesMax = 8,
    [property: Id(8)] int SessionsMax = 1024)
{
    /// <summary>The defaults.</summary>
    public static readonly KeyValueSettings Default = new();

    /// <summary>
    /// Small windows and retention, so batching, compaction and catch-up from a snapshot all
    /// happen within the short runs a simulation suite makes.
    /// </summary>
    public static readonly KeyValueSettings SmallWindows = Default with
    {
        InFlightSlotsMax = 2,
        BatchCommandsMax = 4,
        RetainedEntriesMax = 6,
        CatchUpEntriesMax = 4,
    };
}
