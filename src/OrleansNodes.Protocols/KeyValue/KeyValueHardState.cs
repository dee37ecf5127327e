namespace OrleansNodes.Protocols.KeyValue;

/// <summary>
/// What a replica writes apart from its log and snapshot: the acceptor's promise (forgetting it
/// breaks Paxos) and the applied index, the commit point recovery replays the log up to. Both are
/// small; the applied index is recorded only with a step that writes anyway
/// (<see cref="KeyValueState.DurableApplied"/>), so a tick or a step that only applies writes nothing.
/// </summary>
[GenerateSerializer, Immutable, Alias("on.kv.HardState")]
public sealed record KeyValueHardState([property: Id(0)] Ballot Promised, [property: Id(1)] long AppliedIndex)
{
    /// <summary>The hard state of a replica that has never promised or applied anything.</summary>
    public static readonly KeyValueHardState Initial = new(Ballot.Zero, 0);

    /// <inheritdoc/>
    public override string ToString() => $"promised {Promised} applied {AppliedIndex}";
}
