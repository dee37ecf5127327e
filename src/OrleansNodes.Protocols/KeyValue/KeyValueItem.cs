using System.Text;

namespace OrleansNodes.Protocols.KeyValue;

/// <summary>
/// One key and its value in the store. The map is a set of these ordered by key (ordinal), so a
/// snapshot can be cut into chunks by position and every replica, in every process, cuts it the
/// same way. The value is kept as UTF-8 bytes, not a .NET string: a store of a million keys is
/// mostly values, and UTF-16 would hold each of them in twice the memory it needs.
/// </summary>
[GenerateSerializer, Immutable, Alias("on.kv.Item")]
public readonly record struct KeyValueItem([property: Id(0)] string Key, [property: Id(1)] byte[] Utf8Value)
{
    /// <summary>Orders items by key alone, ordinally; the value plays no part, so a probe with any value finds a key.</summary>
    public static readonly IComparer<KeyValueItem> ByKey = Comparer<KeyValueItem>.Create(static (a, b) => string.CompareOrdinal(a.Key, b.Key));

    /// <summary>An item holding <paramref name="value"/>.</summary>
    public KeyValueItem(string key, string value) : this(key, Encoding.UTF8.GetBytes(value)) { }

    /// <summary>A key with no value, to look a key up with.</summary>
    public static KeyValueItem Probe(string key) => new(key, Array.Empty<byte>());

    /// <summary>The value, decoded.</summary>
    public string Value => Encoding.UTF8.GetString(Utf8Value);

    /// <summary>
    /// The size this item is counted as in snapshot and log budgets: key characters and value
    /// bytes plus a small overhead. An estimate, the same on every replica, not the serialized size.
    /// </summary>
    public long EstimatedBytes => Key.Length + Utf8Value.Length + 8;

    /// <summary>Items are equal when their keys and value bytes are.</summary>
    public bool Equals(KeyValueItem other) => Key == other.Key && Utf8Value.AsSpan().SequenceEqual(other.Utf8Value);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Key, Utf8Value.Length);

    /// <inheritdoc/>
    public override string ToString() => $"{Key}={Value}";
}
