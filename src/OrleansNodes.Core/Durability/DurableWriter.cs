namespace OrleansNodes.Core;

/// <summary>
/// The part of a <see cref="StepContext{TSettings, TMessage, TReply}"/> through which a step says
/// how its durable log and snapshot change (etcd/raft's <c>Ready.Entries</c> and
/// <c>Ready.Snapshot</c>). Like sends, these are effects: the host collects them over a batch and
/// writes them in one flush, before the batch's messages leave. The hard state is not written here;
/// the host compares <c>Protocol.HardState</c> after the batch with the last one written.
/// </summary>
/// <remarks>
/// Operations apply in call order. <see cref="Snapshot"/> replaces the stored log: only entries put
/// after it survive, so a protocol re-puts what it still needs from the log (raft's
/// <c>ApplySnapshot</c>). Entries and snapshot chunks are the protocol's own records; they are
/// serialized by the host and handed back, as written, to <c>Protocol.Recover</c>.
/// </remarks>
public sealed class DurableWriter
{
    private readonly List<DurableEntry> _puts = [];
    private DurableSnapshot? _snapshot;
    private long? _truncateFrom;
    private long? _compactThrough;

    /// <summary>True when nothing was written since the last drain.</summary>
    public bool IsEmpty => _puts.Count == 0 && _snapshot is null && _truncateFrom is null && _compactThrough is null;

    /// <summary>Writes <paramref name="entry"/> at <paramref name="index"/>, replacing what is there.</summary>
    public void Put(long index, object entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        _puts.Add(new DurableEntry(index, entry));
    }

    /// <summary>Deletes every entry at or after <paramref name="index"/> (a conflicting suffix).</summary>
    public void TruncateFrom(long index)
    {
        _puts.RemoveAll(put => put.Index >= index);
        if (_snapshot is null) _truncateFrom = _truncateFrom is { } known ? Math.Min(known, index) : index;
    }

    /// <summary>Deletes every entry at or before <paramref name="index"/> (a prefix the protocol no longer needs).</summary>
    public void CompactThrough(long index)
    {
        _puts.RemoveAll(put => put.Index <= index);
        if (_snapshot is null) _compactThrough = _compactThrough is { } known ? Math.Max(known, index) : index;
    }

    /// <summary>
    /// Writes a snapshot of the state machine at <paramref name="index"/> and empties the stored
    /// log; entries put after this call in the same batch are kept. <paramref name="chunks"/> is
    /// enumerated once, by the host, when it flushes.
    /// </summary>
    public void Snapshot(long index, IEnumerable<object> chunks)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        _snapshot = new DurableSnapshot(index, chunks);
        _puts.Clear();
        _truncateFrom = null;
        _compactThrough = null;
    }

    /// <summary>The entries put since the last drain, in call order (a wrapper protocol reads them to pass them on).</summary>
    public IReadOnlyList<DurableEntry> PendingPuts => _puts;

    /// <summary>The snapshot written since the last drain, if any.</summary>
    public DurableSnapshot? PendingSnapshot => _snapshot;

    /// <summary>The pending truncation point, if any.</summary>
    public long? PendingTruncateFrom => _truncateFrom;

    /// <summary>The pending compaction point, if any.</summary>
    public long? PendingCompactThrough => _compactThrough;

    /// <summary>Returns everything written since the last drain in normal form, and forgets it.</summary>
    public DurableWrites Drain()
    {
        if (IsEmpty) return DurableWrites.None;
        var writes = new DurableWrites(_snapshot, _truncateFrom, _compactThrough, Normalize(_puts));
        Clear();
        return writes;
    }

    /// <summary>Forgets everything written (a batch whose flush failed).</summary>
    public void Clear()
    {
        _puts.Clear();
        _snapshot = null;
        _truncateFrom = null;
        _compactThrough = null;
    }

    // Sorted by index, the last put of each index winning.
    private static System.Collections.Immutable.ImmutableArray<DurableEntry> Normalize(List<DurableEntry> puts)
    {
        if (puts.Count == 0) return [];
        var ordered = new DurableEntry[puts.Count];
        for (var i = 0; i < ordered.Length; i++) ordered[i] = puts[i];
        if (ordered.Length == 1) return [ordered[0]];
        // A stable sort by index keeps call order among equal indexes; the last of each run wins.
        var order = new int[ordered.Length];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(order, (a, b) => ordered[a].Index != ordered[b].Index ? ordered[a].Index.CompareTo(ordered[b].Index) : a.CompareTo(b));
        var builder = System.Collections.Immutable.ImmutableArray.CreateBuilder<DurableEntry>(ordered.Length);
        for (var i = 0; i < order.Length; i++)
        {
            var put = ordered[order[i]];
            if (builder.Count > 0 && builder[^1].Index == put.Index) builder[^1] = put;
            else builder.Add(put);
        }
        return builder.ToImmutable();
    }
}
