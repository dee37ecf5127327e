namespace OrleansNodes.Protocols.KeyValue;

/// <summary>
/// What a client asks the replicated store to do. Every command, reads included, is ordered
/// through the log, which is what makes reads linearizable without clock assumptions
/// ("Paxos Made Live" §5.2 discusses the lease alternative and why it needs bounded clock drift).
/// </summary>
[GenerateSerializer, Immutable, Alias("on.kv.KeyValueCommand")]
public abstract record KeyValueCommand
{
    private KeyValueCommand() { }

    /// <summary>Characters of the keys and values the command carries (see <see cref="KeyValueBatch.EstimatedBytes"/>).</summary>
    public abstract long EstimatedBytes { get; }

    /// <summary>
    /// The command's kind and fields, hashed (<see cref="StableHash.OfParts"/>) for a batch's
    /// fingerprint, which every replica computes for every command it applies.
    /// </summary>
    internal abstract ulong TextHash();

    /// <summary>Reads a key; answered with <see cref="KeyValueReply.Value"/>.</summary>
    [GenerateSerializer, Immutable, Alias("on.kv.Get")]
    public sealed record Get([property: Id(0)] string Key) : KeyValueCommand
    {
        /// <inheritdoc/>
        public override long EstimatedBytes => Key.Length;

        /// <inheritdoc/>
        public override string ToString() => $"get {Key}";

        internal override ulong TextHash() => StableHash.OfParts("get ", Key);
    }

    /// <summary>Writes a key; answered with <see cref="KeyValueReply.Ok"/>.</summary>
    [GenerateSerializer, Immutable, Alias("on.kv.Put")]
    public sealed record Put([property: Id(0)] string Key, [property: Id(1)] string Value) : KeyValueCommand
    {
        /// <inheritdoc/>
        public override long EstimatedBytes => Key.Length + Value.Length;

        /// <inheritdoc/>
        public override string ToString() => $"put {Key}={Value}";

        internal override ulong TextHash() => StableHash.OfParts("put ", Key, "=", Value);
    }

    /// <summary>Removes a key (a no-op when it is missing); answered with <see cref="KeyValueReply.Ok"/>.</summary>
    [GenerateSerializer, Immutable, Alias("on.kv.Delete")]
    public sealed record Delete([property: Id(0)] string Key) : KeyValueCommand
    {
        /// <inheritdoc/>
        public override long EstimatedBytes => Key.Length;

        /// <inheritdoc/>
        public override string ToString() => $"delete {Key}";

        internal override ulong TextHash() => StableHash.OfParts("delete ", Key);
    }

    /// <summary>
    /// Compare-and-set: writes <see cref="New"/> when the key's value is <see cref="Expected"/>
    /// (null: the key must be missing). Answered with <see cref="KeyValueReply.CasResult"/>.
    /// </summary>
    [GenerateSerializer, Immutable, Alias("on.kv.Cas")]
    public sealed record Cas([property: Id(0)] string Key, [property: Id(1)] string? Expected, [property: Id(2)] string New) : KeyValueCommand
    {
        /// <inheritdoc/>
        public override long EstimatedBytes => Key.Length + (Expected?.Length ?? 0) + New.Length;

        /// <inheritdoc/>
        public override string ToString() => $"cas {Key} {Expected ?? "∅"}→{New}";

        internal override ulong TextHash() => StableHash.OfParts("cas ", Key, " ", Expected ?? "∅", "→", New);
    }

    /// <summary>Appends to a key's value, a missing key counting as ""; answered with <see cref="KeyValueReply.Ok"/>.</summary>
    [GenerateSerializer, Immutable, Alias("on.kv.Append")]
    public sealed record Append([property: Id(0)] string Key, [property: Id(1)] string Suffix) : KeyValueCommand
    {
        /// <inheritdoc/>
        public override long EstimatedBytes => Key.Length + Suffix.Length;

        /// <inheritdoc/>
        public override string ToString() => $"append {Key}+={Suffix}";

        internal override ulong TextHash() => StableHash.OfParts("append ", Key, "+=", Suffix);
    }
}
