using System.Globalization;
using StackExchange.Redis;

namespace OrleansNodes.Storage.Redis;

/// <summary>A node's meta hash as read (the fields are listed on <see cref="RedisNodeStore"/>).</summary>
/// <param name="Version">Writes so far.</param>
/// <param name="Definition">The cluster definition, as the host serialized it.</param>
/// <param name="Hard">The last hard state written (empty when none was).</param>
/// <param name="SnapshotIndex">The committed snapshot's index, or null when none was written.</param>
/// <param name="SnapshotChunks">Chunks the snapshot list must hold (0 without a snapshot).</param>
internal sealed record RedisNodeMeta(long Version, byte[] Definition, byte[] Hard, long? SnapshotIndex, long SnapshotChunks)
{
    /// <summary>The field holding the version, which every flush moves.</summary>
    public const string VersionField = "version";

    /// <summary>The meta of a node from its hash <paramref name="fields"/>, read from <paramref name="key"/>.</summary>
    /// <exception cref="InvalidDataException">A field is missing or malformed, or the format is another.</exception>
    public static RedisNodeMeta Parse(HashEntry[] fields, RedisKey key)
    {
        var values = fields.ToDictionary(field => (string)field.Name!, field => field.Value);
        var format = (string?)Get(values, "format", key);
        if (format != RedisScripts.Format)
            throw new InvalidDataException($"{key}: format '{format}' is not the one this version reads ('{RedisScripts.Format}')");
        var version = Number(values, VersionField, key) ?? throw Missing(VersionField, key);
        if (version < 1) throw new InvalidDataException($"{key}: version {version} is not a version a write leaves");
        var index = Number(values, "snapshot_index", key);
        var chunks = Number(values, "snapshot_chunks", key);
        if (index.HasValue != chunks.HasValue || chunks < 0)
            throw new InvalidDataException($"{key}: snapshot_index and snapshot_chunks must both be set (chunks >= 0) or both absent");
        return new RedisNodeMeta(version, Bytes(Get(values, "definition", key)), Bytes(Get(values, "hard", key)), index, chunks ?? 0);
    }

    /// <summary>Whether <paramref name="value"/>, a version field read again, is still <see cref="Version"/>.</summary>
    public bool IsVersion(RedisValue value) =>
        long.TryParse((string?)value, NumberStyles.None, CultureInfo.InvariantCulture, out var read) && read == Version;

    private static RedisValue Get(Dictionary<string, RedisValue> values, string field, RedisKey key) =>
        values.TryGetValue(field, out var value) ? value : throw Missing(field, key);

    private static long? Number(Dictionary<string, RedisValue> values, string field, RedisKey key)
    {
        if (!values.TryGetValue(field, out var value)) return null;
        return long.TryParse((string?)value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new InvalidDataException($"{key}: field '{field}' is '{value}', not a number");
    }

    private static byte[] Bytes(RedisValue value) => (byte[]?)value ?? [];

    private static InvalidDataException Missing(string field, RedisKey key) => new($"{key}: field '{field}' is missing");
}
