namespace OrleansNodes.Protocols.KeyValue;

/// <summary>
/// A client's entry in the dedup table: its last applied sequence number and the reply it got,
/// so a retry is answered from here instead of being applied again. One entry per client is
/// enough because a client has at most one request outstanding (Raft thesis §6.3).
/// </summary>
/// <param name="Sequence">The last sequence number applied for this client.</param>
/// <param name="Reply">The reply that request got.</param>
/// <param name="LastSlot">The slot it was applied in: how recently the client was active, for eviction.</param>
[GenerateSerializer, Immutable, Alias("on.kv.ClientSession")]
public sealed record ClientSession(
    [property: Id(0)] long Sequence,
    [property: Id(1)] KeyValueReply Reply,
    [property: Id(2)] long LastSlot);
