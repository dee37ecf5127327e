namespace OrleansNodes.Protocols.KeyValue;

/// <summary>What the store answers to a <see cref="KeyValueCommand"/>, or a redirect to the leader.</summary>
[GenerateSerializer, Immutable, Alias("on.kv.KeyValueReply")]
public abstract record KeyValueReply
{
    private KeyValueReply() { }

    /// <summary>A put, delete or append took effect.</summary>
    [GenerateSerializer, Immutable, Alias("on.kv.Ok")]
    public sealed record Ok : KeyValueReply
    {
        /// <summary>The one instance: an acknowledgement carries no data.</summary>
        public static readonly Ok Instance = new();

        /// <inheritdoc/>
        public override string ToString() => "ok";
    }

    /// <summary>The value a get read; null when the key is missing.</summary>
    [GenerateSerializer, Immutable, Alias("on.kv.Value")]
    public sealed record Value([property: Id(0)] string? Current) : KeyValueReply
    {
        /// <inheritdoc/>
        public override string ToString() => Current is null ? "missing" : $"value {Current}";
    }

    /// <summary>Whether a compare-and-set wrote, and the key's value after it (null: missing).</summary>
    [GenerateSerializer, Immutable, Alias("on.kv.CasResult")]
    public sealed record CasResult([property: Id(0)] bool Succeeded, [property: Id(1)] string? Current) : KeyValueReply
    {
        /// <inheritdoc/>
        public override string ToString() => (Succeeded ? "cas ok " : "cas failed ") + (Current ?? "∅");
    }

    /// <summary>
    /// This node does not lead: retry the same (client, sequence) at <see cref="Leader"/>, or at
    /// any node when it is null (an election is under way). Nothing was applied.
    /// </summary>
    [GenerateSerializer, Immutable, Alias("on.kv.Redirect")]
    public sealed record Redirect([property: Id(0)] NodeId? Leader) : KeyValueReply, IRedirect
    {
        /// <inheritdoc/>
        public override string ToString() => $"redirect {Leader?.ToString() ?? "?"}";
    }
}
