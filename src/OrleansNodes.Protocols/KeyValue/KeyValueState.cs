namespace OrleansNodes.Protocols.KeyValue;

/// <summary>
/// Everything one replica persists. Large parts (log, store) are shared between successive
/// states; ticks replace only <see cref="Timers"/> (and a leader's contact counters).
/// </summary>
/// <param name="Promised">The acceptor's promise: it accepts nothing older. Durable: forgetting it breaks Paxos.</param>
/// <param name="Leader">The leader this replica believes in, for redirects; null when unknown.</param>
/// <param name="Log">Slots after <see cref="CompactedIndex"/>: accepted or chosen values.</param>
/// <param name="CompactedIndex">Slots up to here are only in <see cref="Store"/>; never above its applied index.</param>
/// <param name="Store">The state machine with every slot up to its applied index applied; also the snapshot.</param>
/// <param name="Timers">Election and heartbeat counters and the seeded random source.</param>
/// <param name="Campaign">Set while a candidate.</param>
/// <param name="Leadership">Set while the leader.</param>
[GenerateSerializer, Immutable, Alias("on.kv.KeyValueState")]
public sealed record KeyValueState(
    [property: Id(0)] Ballot Promised,
    [property: Id(1)] NodeId? Leader,
    [property: Id(2)] ImmutableSortedDictionary<long, LogEntry> Log,
    [property: Id(3)] long CompactedIndex,
    [property: Id(4)] KeyValueStore Store,
    [property: Id(5)] KeyValueTimers Timers,
    [property: Id(6)] Campaign? Campaign,
    [property: Id(7)] Leadership? Leadership)
{
    /// <summary>Leader, candidate or follower.</summary>
    public KeyValueRole Role =>
        Leadership is not null ? KeyValueRole.Leader : Campaign is not null ? KeyValueRole.Candidate : KeyValueRole.Follower;

    /// <summary>The ballot this replica leads or campaigns in, if any.</summary>
    public Ballot? OwnBallot => Leadership?.Ballot ?? Campaign?.Ballot;

    /// <summary>The last applied slot; every slot up to it is chosen.</summary>
    public long AppliedIndex => Store.AppliedIndex;

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Role} leader={Leader?.ToString() ?? "?"} ballot={OwnBallot?.ToString() ?? "-"} promised={Promised} " +
        $"commit={Store.AppliedIndex} applied={Store.AppliedIndex} snapshot={CompactedIndex} log={Log.Count}";
}
