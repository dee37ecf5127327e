using System.Buffers.Binary;

namespace OrleansNodes.Storage.Azure;

/// <summary>A complete record read from a segment.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Version">The node's version once it is applied (a seal: the version it closes at).</param>
/// <param name="Nonce">The nonce of the write that appended it.</param>
/// <param name="Payload">Its parts' payloads, joined.</param>
/// <param name="Offset">Where its first part starts in the blob.</param>
internal sealed record ParsedRecord(RecordKind Kind, long Version, ulong Nonce, ReadOnlyMemory<byte> Payload, long Offset);

/// <summary>
/// What a range of a segment holds: its complete records in order, and where the last of them (or
/// the seal) ends. Parts of a record that never got its last part (a torn record: its writer
/// crashed, or was refused, between parts) are skipped; they are counted in <see cref="Parts"/>,
/// since they use blocks all the same.
/// </summary>
internal sealed class ParsedSegment
{
    /// <summary>The complete records, seal excluded.</summary>
    public List<ParsedRecord> Records { get; } = [];

    /// <summary>The seal, when the segment is closed.</summary>
    public ParsedRecord? Seal { get; set; }

    /// <summary>The blob offset just after the last complete record or seal (the range start when none).</summary>
    public long CommittedEnd { get; set; }

    /// <summary>Parts up to <see cref="CommittedEnd"/>.</summary>
    public int CommittedParts { get; set; }

    /// <summary>Parts in the range, torn ones included.</summary>
    public int Parts { get; set; }

    /// <summary>The blob offset where the range ends.</summary>
    public long End { get; set; }

    /// <summary>
    /// Parses <paramref name="data"/>, the bytes of segment <paramref name="blob"/> from
    /// <paramref name="offset"/> (a part boundary) on.
    /// </summary>
    /// <exception cref="InvalidDataException">A complete part is damaged, or parts do not follow each other as writers append them.</exception>
    public static ParsedSegment Parse(ReadOnlyMemory<byte> data, long offset, string blob)
    {
        var parsed = new ParsedSegment { CommittedEnd = offset, End = offset + data.Length };
        Pending? pending = null;
        var position = 0;
        while (position < data.Length)
        {
            var at = offset + position;
            var span = data.Span[position..];
            if (span.Length < RecordFrame.HeaderBytes) throw Damaged(blob, $"{span.Length} bytes at byte {at} are too few for a record header");
            if (BinaryPrimitives.ReadUInt32LittleEndian(span) != RecordFrame.Magic) throw Damaged(blob, $"no record starts at byte {at} (bad magic)");
            if (span[4] != RecordFrame.Format)
                throw new InvalidDataException($"blob '{blob}' holds a record in format {span[4]} at byte {at}; this version reads format {RecordFrame.Format}");
            var kind = (RecordKind)span[5];
            var version = BinaryPrimitives.ReadInt64LittleEndian(span[8..]);
            var nonce = BinaryPrimitives.ReadUInt64LittleEndian(span[16..]);
            var index = BinaryPrimitives.ReadInt32LittleEndian(span[24..]);
            var count = BinaryPrimitives.ReadInt32LittleEndian(span[28..]);
            var length = BinaryPrimitives.ReadInt32LittleEndian(span[32..]);
            if (length < 0 || length > span.Length - RecordFrame.HeaderBytes) throw Damaged(blob, $"the record at byte {at} runs past the end of the blob");
            var payload = data.Slice(position + RecordFrame.HeaderBytes, length);
            if (BinaryPrimitives.ReadUInt32LittleEndian(span[36..]) != RecordFrame.Checksum(span[..36], payload.Span))
                throw Damaged(blob, $"checksum mismatch in the record at byte {at}");
            if (kind is not (RecordKind.Base or RecordKind.Delta or RecordKind.Seal) || count < 1 || index < 0 || index >= count)
                throw Damaged(blob, $"the record at byte {at} has kind {(byte)kind}, part {index} of {count}");
            // Nobody appends after a seal: every writer that learns the sealed length also learns it is sealed.
            if (parsed.Seal is not null) throw Damaged(blob, $"a record at byte {at} follows the seal");

            position += RecordFrame.HeaderBytes + length;
            parsed.Parts++;
            if (index == 0)
            {
                // A first part ends whatever was being assembled: that record is torn.
                pending = new Pending(kind, version, nonce, count, at);
            }
            else if (pending is null || pending.Nonce != nonce || pending.Version != version || pending.Kind != kind || pending.Count != count || pending.Next != index)
            {
                // Each part is appended on the condition that the blob ends where the previous one
                // did, so a part can only follow its predecessor or be the start of another record.
                throw Damaged(blob, $"part {index} of {count} at byte {at} continues no record");
            }
            pending.Payloads.Add(payload);
            pending.Next = index + 1;
            if (pending.Next < count) continue;

            var record = new ParsedRecord(kind, version, nonce, pending.Join(), pending.Offset);
            if (kind == RecordKind.Seal) parsed.Seal = record;
            else parsed.Records.Add(record);
            parsed.CommittedEnd = offset + position;
            parsed.CommittedParts = parsed.Parts;
            pending = null;
        }
        return parsed;
    }

    /// <summary>The exception for damaged data in <paramref name="blob"/>: one line naming it.</summary>
    public static InvalidDataException Damaged(string blob, string what) => new($"blob '{blob}' is damaged: {what}");

    private sealed class Pending(RecordKind kind, long version, ulong nonce, int count, long offset)
    {
        public RecordKind Kind { get; } = kind;
        public long Version { get; } = version;
        public ulong Nonce { get; } = nonce;
        public int Count { get; } = count;
        public long Offset { get; } = offset;
        public int Next { get; set; }
        public List<ReadOnlyMemory<byte>> Payloads { get; } = [];

        public ReadOnlyMemory<byte> Join()
        {
            if (Payloads.Count == 1) return Payloads[0];
            var joined = new byte[Payloads.Sum(p => p.Length)];
            var at = 0;
            foreach (var payload in Payloads)
            {
                payload.Span.CopyTo(joined.AsSpan(at));
                at += payload.Length;
            }
            return joined;
        }
    }
}
