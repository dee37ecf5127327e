namespace OrleansNodes.Hosting.Storage;

/// <summary>
/// What storage holds for one node, as the host serialized it.
/// </summary>
/// <param name="Version">Writes so far; the next write must expect it.</param>
/// <param name="Definition">The cluster definition the node was started with.</param>
/// <param name="Hard">The last hard state written.</param>
/// <param name="Snapshot">The last snapshot written, or null.</param>
/// <param name="Log">The log, by increasing index.</param>
public sealed record StoredNode(long Version, byte[] Definition, byte[] Hard, StoredSnapshot? Snapshot, IReadOnlyList<StoredEntry> Log)
{
    /// <summary>Bytes held: definition, hard state, snapshot chunks and entries.</summary>
    public long Bytes => Definition.Length + Hard.Length + (Snapshot?.Bytes ?? 0) + Log.Sum(entry => (long)entry.Payload.Length);
}

/// <summary>A stored snapshot: its index and its chunks in order.</summary>
public sealed record StoredSnapshot(long Index, IReadOnlyList<byte[]> Chunks)
{
    /// <summary>Bytes of all chunks.</summary>
    public long Bytes => Chunks.Sum(chunk => (long)chunk.Length);
}

/// <summary>A stored log entry.</summary>
public readonly record struct StoredEntry(long Index, byte[] Payload);
