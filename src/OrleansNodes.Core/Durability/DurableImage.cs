using System.Collections.Immutable;

namespace OrleansNodes.Core;

/// <summary>
/// Everything a node has made durable: the last hard state written, the last snapshot, and the
/// log. It is what <c>Protocol.Recover</c> rebuilds a node from, what the simulator keeps across a
/// crash, and (serialized) what storage holds. <see cref="Apply"/> is the reference semantics of a
/// flush that every storage backend is tested against.
/// </summary>
/// <param name="Hard">The last hard state written (<c>Protocol.HardState</c>), or null.</param>
/// <param name="Snapshot">The last snapshot written, or null.</param>
/// <param name="Log">The stored log entries by index.</param>
public sealed record DurableImage(object? Hard, DurableSnapshot? Snapshot, ImmutableSortedDictionary<long, object> Log)
{
    /// <summary>The image of a node that has written nothing.</summary>
    public static readonly DurableImage Empty = new(null, null, ImmutableSortedDictionary<long, object>.Empty);

    /// <summary>A node's first image: its initial hard state and nothing else.</summary>
    public static DurableImage Initial(object? hard) => Empty with { Hard = hard };

    /// <summary>The hard state as the protocol's record, or <paramref name="fallback"/> when none was written.</summary>
    public T HardAs<T>(T fallback) where T : class => Hard as T ?? fallback;

    /// <summary>The stored entries in index order, as the protocol's entry records.</summary>
    public IEnumerable<(long Index, T Entry)> Entries<T>()
    {
        foreach (var (index, entry) in Log) yield return (index, (T)entry);
    }

    /// <summary>
    /// This image after a flush whose batch ended with hard state <paramref name="hard"/> and wrote
    /// <paramref name="writes"/>: the hard state is replaced when it differs from the one held (by
    /// value), then the writes apply. Returns this same instance when the flush writes nothing,
    /// which is how hosts tell a flush that must touch storage from one that need not.
    /// </summary>
    public DurableImage Flush(object? hard, DurableWrites writes)
    {
        var hardChanged = !Equals(hard, Hard);
        if (!hardChanged && writes.IsEmpty) return this;
        return (hardChanged ? this with { Hard = hard } : this).Apply(writes);
    }

    /// <summary>
    /// This image after a flush that wrote <paramref name="writes"/>: a snapshot replaces the
    /// snapshot and empties the log; otherwise the truncated suffix and compacted prefix go; then
    /// the puts are written. Snapshot chunks are materialized, so the image holds no lazy sequence.
    /// </summary>
    public DurableImage Apply(DurableWrites writes)
    {
        if (writes.IsEmpty) return this;
        var snapshot = Snapshot;
        var log = Log.ToBuilder();
        if (writes.Snapshot is { } written)
        {
            snapshot = new DurableSnapshot(written.Index, written.Chunks.ToArray());
            log.Clear();
        }
        else
        {
            if (writes.TruncateFrom is { } truncate) RemoveWhere(log, index => index >= truncate);
            if (writes.CompactThrough is { } compact) RemoveWhere(log, index => index <= compact);
        }
        foreach (var put in writes.Puts) log[put.Index] = put.Entry;
        return new DurableImage(Hard, snapshot, log.ToImmutable());
    }

    /// <inheritdoc/>
    public bool Equals(DurableImage? other) =>
        other is not null && Equals(Hard, other.Hard) && Snapshot?.Index == other.Snapshot?.Index &&
        (Snapshot is null || Snapshot.Chunks.SequenceEqual(other.Snapshot!.Chunks)) &&
        Log.Count == other.Log.Count && Log.SequenceEqual(other.Log);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Hard, Snapshot?.Index, Log.Count);

    /// <inheritdoc/>
    public override string ToString() =>
        $"hard={Hard?.ToString() ?? "none"} {(Snapshot is null ? "no snapshot" : Snapshot.ToString())} log={Log.Count}" +
        (Log.IsEmpty ? "" : $" [{Log.Keys.First()}..{Log.Keys.Last()}]");

    private static void RemoveWhere(ImmutableSortedDictionary<long, object>.Builder log, Func<long, bool> doomed)
    {
        List<long>? remove = null;
        foreach (var index in log.Keys)
            if (doomed(index)) (remove ??= []).Add(index);
        if (remove is not null) log.RemoveRange(remove);
    }
}
