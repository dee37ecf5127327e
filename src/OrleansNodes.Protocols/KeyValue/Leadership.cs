namespace OrleansNodes.Protocols.KeyValue;

/// <summary>
/// What a leader knows beyond the acceptor state: its ballot, the next free slot, the proposals
/// not yet chosen, the requests waiting for a free proposal window, and how recently each peer
/// answered (a leader that has not heard from a majority within an election timeout steps down,
/// so clients are not stranded at a leader that can no longer commit), and the snapshots it is
/// sending to followers behind its compaction point, and the gets waiting for a confirmation
/// round (<see cref="ReadBarrier"/>). All of it is volatile.
/// </summary>
[GenerateSerializer, Immutable, Alias("on.kv.Leadership")]
public sealed record Leadership(
    [property: Id(0)] Ballot Ballot,
    [property: Id(1)] long NextSlot,
    [property: Id(2)] ImmutableSortedDictionary<long, Proposal> InFlight,
    [property: Id(3)] ImmutableArray<ClientCommand> Pending,
    [property: Id(4)] PeerTicks Contact,
    [property: Id(5)] ImmutableDictionary<NodeId, SnapshotTransfer> Transfers,
    [property: Id(6)] ReadBarrier? Reads = null)
{
    /// <summary>The read barrier, empty before the first get.</summary>
    public ReadBarrier ReadsOrNone => Reads ?? ReadBarrier.None;
}
