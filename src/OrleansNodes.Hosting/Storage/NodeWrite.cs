namespace OrleansNodes.Hosting.Storage;

/// <summary>
/// One flush of one node, serialized: applied atomically, and only if the node's stored version is
/// still <see cref="ExpectedVersion"/>. The order of effects is <c>DurableImage.Apply</c>'s: a
/// snapshot replaces the log; otherwise entries from <see cref="TruncateFrom"/> on and up to
/// <see cref="CompactThrough"/> are deleted; then <see cref="Puts"/> are written.
/// </summary>
/// <param name="ExpectedVersion">The version this writer last read or wrote; 0 creates the node.</param>
/// <param name="Definition">The cluster definition: set on the first write only.</param>
/// <param name="Hard">The new hard state, or null when it did not change.</param>
/// <param name="Snapshot">A new snapshot, which also empties the log first; null for none.</param>
/// <param name="TruncateFrom">Delete entries at or after this index; null for none.</param>
/// <param name="CompactThrough">Delete entries at or before this index; null for none.</param>
/// <param name="Puts">Entries to write, by increasing index, at most one per index.</param>
public sealed record NodeWrite(
    long ExpectedVersion,
    byte[]? Definition,
    byte[]? Hard,
    SnapshotWrite? Snapshot,
    long? TruncateFrom,
    long? CompactThrough,
    IReadOnlyList<StoredEntry> Puts)
{
    /// <summary>Payload bytes, snapshot chunks excluded (they are counted as they are enumerated).</summary>
    public long BytesWithoutSnapshot => (Definition?.Length ?? 0) + (Hard?.Length ?? 0) + Puts.Sum(put => (long)put.Payload.Length);
}

/// <summary>
/// A snapshot to write. <see cref="Chunks"/> is enumerated once, by the backend, while it writes:
/// each chunk is serialized only then, so a large snapshot never sits in memory as bytes whole.
/// </summary>
public sealed record SnapshotWrite(long Index, IEnumerable<byte[]> Chunks);
