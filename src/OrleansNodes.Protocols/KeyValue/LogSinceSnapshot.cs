namespace OrleansNodes.Protocols.KeyValue;

/// <summary>
/// What a replica has written to its durable log since its last durable snapshot: the snapshot's
/// index and the estimated bytes of entries written since. It decides when the next snapshot is
/// due (<see cref="KeyValueSettings.SnapshotLogBytesMin"/>), and is rebuilt from the durable image
/// on recovery.
/// </summary>
[GenerateSerializer, Immutable, Alias("on.kv.LogSinceSnapshot")]
public readonly record struct LogSinceSnapshot([property: Id(0)] long SnapshotIndex, [property: Id(1)] long Bytes)
{
    /// <summary>One more entry of <paramref name="bytes"/> written.</summary>
    public LogSinceSnapshot Add(long bytes) => this with { Bytes = Bytes + bytes };

    /// <inheritdoc/>
    public override string ToString() => $"snapshot@{SnapshotIndex}+{Bytes}B";
}
