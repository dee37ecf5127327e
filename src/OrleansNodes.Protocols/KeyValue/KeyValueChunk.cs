namespace OrleansNodes.Protocols.KeyValue;

/// <summary>
/// A bounded piece of a store snapshot: the items (map entries, then dedup-table sessions) from
/// <see cref="Position"/> on, in the snapshot's order, with the store's header repeated so every
/// chunk says what it belongs to. The same record is a chunk of the durable snapshot in storage
/// and of a snapshot sent to a lagging replica, so neither a write nor a message ever holds a
/// whole store.
/// </summary>
/// <param name="AppliedIndex">The snapshot's index: the store has every slot up to it applied.</param>
/// <param name="Position">The position of this chunk's first item among all of the snapshot's items.</param>
/// <param name="ItemCount">Map entries plus sessions in the whole snapshot.</param>
/// <param name="Items">Map entries, in key order.</param>
/// <param name="Sessions">Dedup-table entries, in client order; they follow every map entry.</param>
/// <param name="ExecutedCount">The store's executed-command count.</param>
/// <param name="HistoryDigest">The store's history digest.</param>
[GenerateSerializer, Immutable, Alias("on.kv.Chunk")]
public sealed record KeyValueChunk(
    [property: Id(0)] long AppliedIndex,
    [property: Id(1)] long Position,
    [property: Id(2)] long ItemCount,
    [property: Id(3)] ImmutableArray<KeyValueItem> Items,
    [property: Id(4)] ImmutableArray<SessionItem> Sessions,
    [property: Id(5)] long ExecutedCount,
    [property: Id(6)] ulong HistoryDigest)
{
    /// <summary>The position just after this chunk: where the next one starts.</summary>
    public long End => Position + Items.Length + Sessions.Length;

    /// <summary>True for the snapshot's last chunk.</summary>
    public bool IsLast => End >= ItemCount;

    /// <inheritdoc/>
    public bool Equals(KeyValueChunk? other) =>
        other is not null && AppliedIndex == other.AppliedIndex && Position == other.Position && ItemCount == other.ItemCount &&
        ExecutedCount == other.ExecutedCount && HistoryDigest == other.HistoryDigest &&
        Items.AsSpan().SequenceEqual(other.Items.AsSpan()) && Sessions.AsSpan().SequenceEqual(other.Sessions.AsSpan());

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(AppliedIndex, Position, ItemCount);

    /// <inheritdoc/>
    public override string ToString() => $"chunk@{AppliedIndex} [{Position}..{End}) of {ItemCount}";
}
