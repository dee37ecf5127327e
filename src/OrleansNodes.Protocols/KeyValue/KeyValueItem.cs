namespace OrleansNodes.Protocols.KeyValue;

/// <summary>
/// One key and its value in the store. The map is a set of these ordered by key (ordinal), so a
/// snapshot can be cut into chunks by position and every replica, in every process, cuts it the
/// same way.
/// </summary>
[GenerateSerializer, Immutable, Alias("on.kv.Item")]
public readonly record struct KeyValueItem([property: Id(0)] string Key, [property: Id(1)] string Value)
{
    /// <summary>Orders items by key alone, ordinally; the value plays no part, so a probe with any value finds a key.</summary>
    public static readonly IComparer<KeyValueItem> ByKey = Comparer<KeyValueItem>.Create(static (a, b) => string.CompareOrdinal(a.Key, b.Key));

    /// <summary>
    /// The size this item is counted as in snapshot and log budgets: characters of key and value
    /// plus a small overhead. An estimate, the same on every replica, not the serialized size.
    /// </summary>
    public long EstimatedBytes => Key.Length + Value.Length + 8;

    /// <inheritdoc/>
    public override string ToString() => $"{Key}={Value}";
}
