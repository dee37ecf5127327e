using OrleansNodes.Hosting.Storage;

namespace OrleansNodes.Storage.Azure;

/// <summary>
/// Replays flush records, in log order, into what they leave: version, definition, hard state,
/// snapshot and (when asked for) the log. Its semantics are <c>DurableImage.Apply</c>'s: a base
/// record resets everything (a snapshot replaces the log), a delta replaces the hard state if it
/// carries one, deletes the truncated suffix and compacted prefix, then writes its puts.
/// </summary>
internal sealed class NodeScan
{
    private readonly SortedSet<long>? _indexes;
    private readonly Dictionary<long, byte[]>? _entries;
    private bool _anchored;

    /// <summary>A replay from a base record; the log is kept when <paramref name="withLog"/>.</summary>
    public NodeScan(bool withLog)
    {
        if (!withLog) return;
        _indexes = [];
        _entries = [];
    }

    /// <summary>A replay that continues <paramref name="tail"/> (without the log, which a tail does not hold).</summary>
    public NodeScan(NodeTail tail) : this(withLog: false)
    {
        Version = tail.Version;
        Nonce = tail.Nonce;
        Definition = tail.Definition;
        Hard = tail.Hard;
        Snapshot = tail.Snapshot;
        _anchored = true;
    }

    public long Version { get; private set; }

    public ulong Nonce { get; private set; }

    public byte[] Definition { get; private set; } = [];

    public byte[] Hard { get; private set; } = [];

    public SnapshotReference? Snapshot { get; private set; }

    /// <summary>The log by increasing index (empty when the log is not kept).</summary>
    public IReadOnlyList<StoredEntry> Log =>
        _indexes is null ? [] : [.. _indexes.Select(index => new StoredEntry(index, _entries![index]))];

    /// <summary>Applies one complete record of <paramref name="blob"/>.</summary>
    public void Apply(ParsedRecord record, string blob)
    {
        switch (record.Kind)
        {
            case RecordKind.Seal:
                if (!_anchored || record.Version != Version) throw Gap(record, blob, Version);
                return;
            case RecordKind.Base:
                if (_anchored && record.Version != Version + 1) throw Gap(record, blob, Version + 1);
                var start = RecordPayload.DecodeBase(record, blob, withPuts: _indexes is not null);
                Definition = start.Definition;
                Hard = start.Hard;
                Snapshot = start.Snapshot;
                _indexes?.Clear();
                _entries?.Clear();
                Put(start.Puts);
                break;
            case RecordKind.Delta:
                if (!_anchored) throw ParsedSegment.Damaged(blob, $"the log starts with a delta record (byte {record.Offset}), not a base");
                if (record.Version != Version + 1) throw Gap(record, blob, Version + 1);
                var delta = RecordPayload.DecodeDelta(record, blob, withPuts: _indexes is not null);
                if (delta.Hard is { } hard) Hard = hard;
                if (delta.TruncateFrom is { } truncate) Remove(truncate, long.MaxValue);
                if (delta.CompactThrough is { } compact) Remove(long.MinValue, compact);
                Put(delta.Puts);
                break;
        }
        Version = record.Version;
        Nonce = record.Nonce;
        _anchored = true;
    }

    private void Put(List<StoredEntry> puts)
    {
        if (_indexes is null) return;
        foreach (var put in puts)
        {
            _indexes.Add(put.Index);
            _entries![put.Index] = put.Payload;
        }
    }

    private void Remove(long from, long through)
    {
        if (_indexes is null || _indexes.Count == 0 || from > through) return;
        foreach (var index in _indexes.GetViewBetween(from, through).ToList())
        {
            _indexes.Remove(index);
            _entries!.Remove(index);
        }
    }

    private static InvalidDataException Gap(ParsedRecord record, string blob, long expected) =>
        ParsedSegment.Damaged(blob, $"the {record.Kind.ToString().ToLowerInvariant()} record at byte {record.Offset} has version {record.Version}, expected {expected}");
}
