namespace OrleansNodes.Protocols.KeyValue;

/// <summary>
/// The value of one log slot: the client commands a leader proposed together. The empty batch
/// is the no-op a new leader proposes to fill a gap in the log ("Paxos Made Moderately
/// Complex" §3, and "Paxos Made Simple" §3 on filling gaps with no-ops).
/// </summary>
[GenerateSerializer, Immutable, Alias("on.kv.KeyValueBatch")]
public sealed record KeyValueBatch([property: Id(0)] ImmutableArray<ClientCommand> Commands)
{
    /// <summary>The no-op.</summary>
    public static readonly KeyValueBatch Noop = new(ImmutableArray<ClientCommand>.Empty);

    /// <summary>True for the no-op.</summary>
    public bool IsNoop => Commands.IsDefaultOrEmpty;

    /// <summary>Batches are equal when they carry the same commands in the same order.</summary>
    public bool Equals(KeyValueBatch? other) =>
        other is not null && (ReferenceEquals(this, other) || Commands.AsSpan().SequenceEqual(other.Commands.AsSpan()));

    /// <inheritdoc/>
    public override int GetHashCode() => Commands.Length;

    /// <summary>
    /// The size this batch is counted as in log budgets: characters of every key and value plus a
    /// small overhead per command. An estimate the same on every replica, not the serialized size.
    /// </summary>
    public long EstimatedBytes
    {
        get
        {
            long bytes = 8;
            foreach (var command in Commands) bytes += 24 + command.Command.EstimatedBytes;
            return bytes;
        }
    }

    /// <summary>
    /// A hash that is the same in every process (unlike <see cref="string.GetHashCode()"/>),
    /// chained into <see cref="KeyValueStore.HistoryDigest"/>.
    /// </summary>
    public ulong Fingerprint()
    {
        var hash = StableHash.Seed;
        foreach (var command in Commands)
        {
            hash = StableHash.Add(hash, (ulong)command.Client.Value);
            hash = StableHash.Add(hash, (ulong)command.Sequence);
            hash = StableHash.Add(hash, command.Command.TextHash());
        }
        return hash;
    }

    /// <inheritdoc/>
    public override string ToString() => IsNoop ? "noop" : "[" + string.Join("; ", Commands) + "]";
}
