using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using OrleansNodes.Hosting.Storage;

namespace OrleansNodes.Storage.Azure;

/// <summary>A base record's payload: everything a reader needs, nothing older.</summary>
internal sealed record BaseRecord(byte[] Definition, byte[] Hard, SnapshotReference? Snapshot, List<StoredEntry> Puts);

/// <summary>A delta record's payload: what one flush changed.</summary>
internal sealed record DeltaRecord(byte[]? Hard, long? TruncateFrom, long? CompactThrough, List<StoredEntry> Puts);

/// <summary>
/// The payloads of base and delta records (a seal has none). Byte strings are an int32 length and
/// the bytes; integers are little-endian.
/// </summary>
/// <remarks>
/// <code>
/// base:  definition, hard, has-snapshot (1 byte), [snapshot index int64, chunk count int32,
///        chunk bytes int64, blob leaf (UTF-8 string)], put count int32, puts
/// delta: flags (1 byte: 1 hard, 2 truncate, 4 compact), [hard], [truncate-from int64],
///        [compact-through int64], put count int32, puts
/// put:   index int64, payload
/// </code>
/// </remarks>
internal static class RecordPayload
{
    private const byte HasHard = 1;
    private const byte HasTruncate = 2;
    private const byte HasCompact = 4;

    public static byte[] EncodeBase(byte[] definition, byte[] hard, SnapshotReference? snapshot, IReadOnlyList<StoredEntry> puts)
    {
        var writer = new ArrayBufferWriter<byte>(64 + definition.Length + hard.Length + PutsBytes(puts));
        WriteBytes(writer, definition);
        WriteBytes(writer, hard);
        WriteByte(writer, snapshot is null ? (byte)0 : (byte)1);
        if (snapshot is not null)
        {
            WriteInt64(writer, snapshot.Index);
            WriteInt32(writer, snapshot.ChunkCount);
            WriteInt64(writer, snapshot.Bytes);
            WriteBytes(writer, Encoding.UTF8.GetBytes(snapshot.Leaf));
        }
        WritePuts(writer, puts);
        return writer.WrittenSpan.ToArray();
    }

    public static byte[] EncodeDelta(byte[]? hard, long? truncateFrom, long? compactThrough, IReadOnlyList<StoredEntry> puts)
    {
        var writer = new ArrayBufferWriter<byte>(32 + (hard?.Length ?? 0) + PutsBytes(puts));
        WriteByte(writer, (byte)((hard is null ? 0 : HasHard) | (truncateFrom is null ? 0 : HasTruncate) | (compactThrough is null ? 0 : HasCompact)));
        if (hard is not null) WriteBytes(writer, hard);
        if (truncateFrom is { } truncate) WriteInt64(writer, truncate);
        if (compactThrough is { } compact) WriteInt64(writer, compact);
        WritePuts(writer, puts);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes a base record; the puts only when <paramref name="withPuts"/>.</summary>
    public static BaseRecord DecodeBase(ParsedRecord record, string blob, bool withPuts)
    {
        var reader = new Reader(record, blob);
        var definition = reader.Bytes();
        var hard = reader.Bytes();
        SnapshotReference? snapshot = null;
        if (reader.Byte() != 0)
        {
            var index = reader.Int64();
            var chunks = reader.Int32();
            var bytes = reader.Int64();
            snapshot = new SnapshotReference(Encoding.UTF8.GetString(reader.Bytes()), index, chunks, bytes);
        }
        var puts = withPuts ? reader.Puts() : [];
        return new BaseRecord(definition, hard, snapshot, puts);
    }

    /// <summary>Decodes a delta record; the puts only when <paramref name="withPuts"/>.</summary>
    public static DeltaRecord DecodeDelta(ParsedRecord record, string blob, bool withPuts)
    {
        var reader = new Reader(record, blob);
        var flags = reader.Byte();
        var hard = (flags & HasHard) != 0 ? reader.Bytes() : null;
        long? truncate = (flags & HasTruncate) != 0 ? reader.Int64() : null;
        long? compact = (flags & HasCompact) != 0 ? reader.Int64() : null;
        var puts = withPuts ? reader.Puts() : [];
        return new DeltaRecord(hard, truncate, compact, puts);
    }

    private static int PutsBytes(IReadOnlyList<StoredEntry> puts)
    {
        var bytes = 4L;
        foreach (var put in puts) bytes += 12 + put.Payload.Length;
        return (int)Math.Min(bytes, Array.MaxLength);
    }

    private static void WritePuts(ArrayBufferWriter<byte> writer, IReadOnlyList<StoredEntry> puts)
    {
        WriteInt32(writer, puts.Count);
        foreach (var put in puts)
        {
            WriteInt64(writer, put.Index);
            WriteBytes(writer, put.Payload);
        }
    }

    private static void WriteByte(ArrayBufferWriter<byte> writer, byte value)
    {
        writer.GetSpan(1)[0] = value;
        writer.Advance(1);
    }

    private static void WriteInt32(ArrayBufferWriter<byte> writer, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(writer.GetSpan(4), value);
        writer.Advance(4);
    }

    private static void WriteInt64(ArrayBufferWriter<byte> writer, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(writer.GetSpan(8), value);
        writer.Advance(8);
    }

    private static void WriteBytes(ArrayBufferWriter<byte> writer, ReadOnlySpan<byte> bytes)
    {
        WriteInt32(writer, bytes.Length);
        writer.Write(bytes);
    }

    // A payload whose checksum matched but does not decode was written by something else than
    // this format: damaged all the same, as far as a reader can tell.
    private ref struct Reader
    {
        private readonly ParsedRecord _record;
        private readonly string _blob;
        private readonly ReadOnlySpan<byte> _payload;
        private int _position;

        public Reader(ParsedRecord record, string blob)
        {
            _record = record;
            _blob = blob;
            _payload = record.Payload.Span;
        }

        public byte Byte() => Take(1)[0];

        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

        public byte[] Bytes()
        {
            var length = Int32();
            if (length < 0) throw Malformed();
            return Take(length).ToArray();
        }

        public List<StoredEntry> Puts()
        {
            var count = Int32();
            if (count < 0) throw Malformed();
            var puts = new List<StoredEntry>(Math.Min(count, 1024));
            for (var i = 0; i < count; i++)
            {
                var index = Int64();
                puts.Add(new StoredEntry(index, Bytes()));
            }
            return puts;
        }

        private ReadOnlySpan<byte> Take(int length)
        {
            if (length > _payload.Length - _position) throw Malformed();
            var taken = _payload.Slice(_position, length);
            _position += length;
            return taken;
        }

        private readonly InvalidDataException Malformed() =>
            ParsedSegment.Damaged(_blob, $"the {_record.Kind.ToString().ToLowerInvariant()} record at byte {_record.Offset} does not decode");
    }
}
