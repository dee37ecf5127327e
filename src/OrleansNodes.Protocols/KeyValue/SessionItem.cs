namespace OrleansNodes.Protocols.KeyValue;

/// <summary>One client's entry of the dedup table, as snapshot chunks carry it.</summary>
[GenerateSerializer, Immutable, Alias("on.kv.SessionItem")]
public readonly record struct SessionItem([property: Id(0)] ClientId Client, [property: Id(1)] ClientSession Session)
{
    /// <summary>The size this session is counted as in snapshot budgets (see <see cref="KeyValueItem.EstimatedBytes"/>).</summary>
    public long EstimatedBytes => 32 + Session.Reply switch
    {
        KeyValueReply.Value { Current: { } value } => value.Length,
        KeyValueReply.CasResult { Current: { } value } => value.Length,
        _ => 0,
    };

    /// <inheritdoc/>
    public override string ToString() => $"{Client}#{Session.Sequence}";
}
