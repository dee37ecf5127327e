using System.Buffers.Binary;
using OrleansNodes.Hosting.Storage;
using StackExchange.Redis;

namespace OrleansNodes.Storage.Redis;

/// <summary>
/// How a log entry is held in the node's log sorted set: every member has score 0 and is the
/// entry's index in 8 bytes, big-endian with the sign bit flipped, followed by its payload. Redis
/// orders equal-score members by their bytes, so the set is in index order, every index is a
/// distinct prefix (members are unique per index), and index ranges are lexicographic ranges
/// (<c>ZRANGEBYLEX</c>, <c>ZREMRANGEBYLEX</c>).
/// </summary>
/// <remarks>
/// Scoring by index would be the obvious layout, but scores are doubles: two indexes above
/// 2^53 could share a score, and a range delete by score would take a neighbour with it. Byte
/// ranges are exact for every <see cref="long"/>, and the Lua side never parses a number.
/// Flipping the sign bit makes unsigned byte order agree with signed order.
/// </remarks>
internal static class RedisLogMember
{
    /// <summary>Bytes of the index prefix.</summary>
    public const int PrefixBytes = 8;

    private const ulong SignBit = 1UL << 63;

    /// <summary>The member holding <paramref name="entry"/>.</summary>
    public static byte[] Encode(StoredEntry entry)
    {
        var member = new byte[PrefixBytes + entry.Payload.Length];
        WritePrefix(entry.Index, member);
        entry.Payload.CopyTo(member, PrefixBytes);
        return member;
    }

    /// <summary>The entry <paramref name="member"/> holds; <paramref name="log"/> names the key in the error.</summary>
    /// <exception cref="InvalidDataException">The member is too short to hold an index.</exception>
    public static StoredEntry Decode(byte[] member, RedisKey log)
    {
        if (member.Length < PrefixBytes)
            throw new InvalidDataException($"{log}: a member of {member.Length} bytes is shorter than the {PrefixBytes}-byte index every entry starts with");
        var index = (long)(BinaryPrimitives.ReadUInt64BigEndian(member) ^ SignBit);
        return new StoredEntry(index, member[PrefixBytes..]);
    }

    /// <summary>The lexicographic bound that includes <paramref name="index"/> and everything after it.</summary>
    public static RedisValue From(long index) => Bound((byte)'[', index);

    /// <summary>The lexicographic bound just past every member of <paramref name="index"/> (exclusive).</summary>
    public static RedisValue After(long index) => index == long.MaxValue ? "+" : Bound((byte)'(', index + 1);

    private static RedisValue Bound(byte kind, long index)
    {
        var bound = new byte[1 + PrefixBytes];
        bound[0] = kind;
        WritePrefix(index, bound.AsSpan(1));
        return bound;
    }

    private static void WritePrefix(long index, Span<byte> destination) =>
        BinaryPrimitives.WriteUInt64BigEndian(destination, (ulong)index ^ SignBit);
}
