using System.Buffers.Binary;
using System.IO.Hashing;

namespace OrleansNodes.Storage.Azure;

/// <summary>What a flush record is.</summary>
internal enum RecordKind : byte
{
    /// <summary>
    /// Starts the node afresh: definition, the whole hard state, the snapshot (if any) and the
    /// entries put after it. The first record of a node and every snapshot commit; always the first
    /// record of its segment, so a reader needs nothing older.
    /// </summary>
    Base = 1,

    /// <summary>What one flush changed: hard state if it changed, truncation, compaction, puts.</summary>
    Delta = 2,

    /// <summary>Closes its segment: the log continues in the next one. Changes no version.</summary>
    Seal = 3,
}

/// <summary>
/// The framing of flush records in a segment. A record is one or more parts, each one append block
/// (so each is written whole or not at all), each self-describing:
/// </summary>
/// <remarks>
/// <code>
/// offset size
///  0     4    magic "ONLR"
///  4     1    format (1)
///  5     1    kind (RecordKind)
///  6     2    zero
///  8     8    version: the node's version once this record is applied (a seal: the version it closes at)
/// 16     8    nonce: random per write, so a writer recognises its own record after an ambiguous failure
/// 24     4    part index
/// 28     4    part count
/// 32     4    payload bytes in this part
/// 36     4    CRC-32 of bytes 0..35 and of the payload
/// 40     ...  payload (the record's payload is its parts' payloads in order)
/// </code>
/// All integers are little-endian. The checksum covers the header too, so a damaged length or
/// version is caught like damaged data.
/// </remarks>
internal static class RecordFrame
{
    public const int HeaderBytes = 40;
    public const uint Magic = 0x524C4E4F; // "ONLR" as bytes
    public const byte Format = 1;

    /// <summary>The parts of one record, each at most <paramref name="blockBytesMax"/> bytes.</summary>
    public static List<byte[]> Encode(RecordKind kind, long version, ulong nonce, ReadOnlySpan<byte> payload, int blockBytesMax)
    {
        var partPayloadMax = blockBytesMax - HeaderBytes;
        var count = (int)Math.Max(1, ((long)payload.Length + partPayloadMax - 1) / partPayloadMax);
        var parts = new List<byte[]>(count);
        for (var index = 0; index < count; index++)
        {
            var start = index * partPayloadMax;
            var slice = payload.Slice(start, Math.Min(partPayloadMax, payload.Length - start));
            var block = new byte[HeaderBytes + slice.Length];
            var span = block.AsSpan();
            BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
            span[4] = Format;
            span[5] = (byte)kind;
            BinaryPrimitives.WriteInt64LittleEndian(span[8..], version);
            BinaryPrimitives.WriteUInt64LittleEndian(span[16..], nonce);
            BinaryPrimitives.WriteInt32LittleEndian(span[24..], index);
            BinaryPrimitives.WriteInt32LittleEndian(span[28..], count);
            BinaryPrimitives.WriteInt32LittleEndian(span[32..], slice.Length);
            slice.CopyTo(span[HeaderBytes..]);
            BinaryPrimitives.WriteUInt32LittleEndian(span[36..], Checksum(span[..36], span[HeaderBytes..]));
            parts.Add(block);
        }
        return parts;
    }

    /// <summary>The CRC-32 of a part's first 36 header bytes and its payload.</summary>
    public static uint Checksum(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload)
    {
        var crc = new Crc32();
        crc.Append(header);
        crc.Append(payload);
        return crc.GetCurrentHashAsUInt32();
    }
}
