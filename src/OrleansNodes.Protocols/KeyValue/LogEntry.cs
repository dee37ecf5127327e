namespace OrleansNodes.Protocols.KeyValue;

/// <summary>
/// One slot of a replica's log: the value its acceptor last accepted there and in which ballot,
/// or the value known to be chosen.
/// </summary>
/// <param name="Ballot">The ballot the value was accepted in (for a chosen value learned by catch-up, the sender's ballot).</param>
/// <param name="Value">The batch.</param>
/// <param name="Chosen">True once this replica knows a majority accepted the value: it can never change.</param>
[GenerateSerializer, Immutable, Alias("on.kv.LogEntry")]
public sealed record LogEntry(
    [property: Id(0)] Ballot Ballot,
    [property: Id(1)] KeyValueBatch Value,
    [property: Id(2)] bool Chosen)
{
    /// <summary>The size this entry is counted as in log budgets (see <see cref="KeyValueBatch.EstimatedBytes"/>).</summary>
    public long EstimatedBytes => 24 + Value.EstimatedBytes;

    /// <summary>True when <paramref name="other"/> holds the same accepted value in the same ballot: all a durable log entry records ("chosen" is knowledge that may be re-learned).</summary>
    public bool SameVote(LogEntry other) => Ballot == other.Ballot && Value.Equals(other.Value);

    /// <inheritdoc/>
    public override string ToString() => $"{(Chosen ? "chosen" : "accepted")}@{Ballot} {Value}";
}
