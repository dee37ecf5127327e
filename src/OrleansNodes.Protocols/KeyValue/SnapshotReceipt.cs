namespace OrleansNodes.Protocols.KeyValue;

/// <summary>
/// A follower receiving a snapshot in chunks: the chunks taken so far, in order. A chunk is taken
/// only when it starts exactly where the last one ended; any other is a duplicate or arrived out
/// of order and is answered with the position still wanted. Volatile: a restarted follower starts
/// the transfer over.
/// </summary>
[GenerateSerializer, Immutable, Alias("on.kv.SnapshotReceipt")]
public sealed record SnapshotReceipt([property: Id(0)] long Index, [property: Id(1)] ImmutableList<KeyValueChunk> Chunks)
{
    /// <summary>The position of the next chunk wanted.</summary>
    public long Next => Chunks.IsEmpty ? 0 : Chunks[^1].End;

    /// <summary>True once the last chunk has been taken.</summary>
    public bool IsComplete => !Chunks.IsEmpty && Chunks[^1].IsLast;

    /// <inheritdoc/>
    public override string ToString() => $"receiving snapshot@{Index} at {Next}";
}
