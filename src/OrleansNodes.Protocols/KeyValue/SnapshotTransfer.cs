namespace OrleansNodes.Protocols.KeyValue;

/// <summary>
/// A leader sending its store to a follower behind its compaction point: the store as it was
/// when the transfer began (immutable, so later writes do not disturb the chunks), and the
/// position the follower last acknowledged, from which the next chunk is sent. One chunk is in
/// flight at a time; a lost chunk or acknowledgement is resent from the acknowledged position on
/// the next heartbeat.
/// </summary>
[GenerateSerializer, Immutable, Alias("on.kv.SnapshotTransfer")]
public sealed record SnapshotTransfer([property: Id(0)] KeyValueStore Snapshot, [property: Id(1)] long Acknowledged)
{
    /// <inheritdoc/>
    public override string ToString() => $"sending snapshot@{Snapshot.AppliedIndex} from {Acknowledged}";
}
