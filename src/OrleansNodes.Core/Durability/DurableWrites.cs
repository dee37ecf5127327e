using System.Collections.Immutable;

namespace OrleansNodes.Core;

/// <summary>
/// What a batch of steps asks the host to make durable besides the hard state, in normal form:
/// when <see cref="Snapshot"/> is set the stored log is replaced (emptied) first; otherwise entries
/// from <see cref="TruncateFrom"/> on and up to <see cref="CompactThrough"/> are deleted; then
/// <see cref="Puts"/> are written, at most one per index, in index order. Applying a batch's
/// operations one by one gives the same log as applying this (<see cref="DurableImage.Apply"/>).
/// </summary>
/// <param name="Snapshot">A new snapshot, which also resets the log; null for none.</param>
/// <param name="TruncateFrom">Delete stored entries at or after this index; null for none.</param>
/// <param name="CompactThrough">Delete stored entries at or before this index; null for none.</param>
/// <param name="Puts">Entries to write (insert or overwrite), sorted by index.</param>
public sealed record DurableWrites(
    DurableSnapshot? Snapshot,
    long? TruncateFrom,
    long? CompactThrough,
    ImmutableArray<DurableEntry> Puts)
{
    /// <summary>Writes nothing.</summary>
    public static readonly DurableWrites None = new(null, null, null, []);

    /// <summary>True when there is nothing to write.</summary>
    public bool IsEmpty => Snapshot is null && TruncateFrom is null && CompactThrough is null && Puts.IsDefaultOrEmpty;

    /// <inheritdoc/>
    public bool Equals(DurableWrites? other) =>
        other is not null && Equals(Snapshot, other.Snapshot) && TruncateFrom == other.TruncateFrom &&
        CompactThrough == other.CompactThrough && Puts.AsSpan().SequenceEqual(other.Puts.AsSpan());

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Snapshot?.Index, TruncateFrom, CompactThrough, Puts.Length);

    /// <inheritdoc/>
    public override string ToString()
    {
        if (IsEmpty) return "nothing";
        var parts = new List<string>();
        if (Snapshot is not null) parts.Add(Snapshot.ToString());
        if (TruncateFrom is { } truncate) parts.Add($"truncate from {truncate}");
        if (CompactThrough is { } compact) parts.Add($"compact through {compact}");
        if (!Puts.IsDefaultOrEmpty)
            parts.Add(Puts.Length == 1 ? $"put {Puts[0].Index}" : $"put {Puts.Length} entries {Puts[0].Index}..{Puts[^1].Index}");
        return string.Join(", ", parts);
    }
}
