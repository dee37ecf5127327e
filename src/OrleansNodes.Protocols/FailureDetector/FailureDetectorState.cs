namespace OrleansNodes.Protocols.FailureDetector;

/// <summary>
/// One node's failure-detector state: the seed's "map from servers to the number of ticks since
/// you last heard from them", the heartbeat timer, and the resulting suspicions. All of it is
/// soft state: after a restart the node starts over and gives every peer a fresh grace period.
/// </summary>
/// <param name="Silence">Ticks since each member was last heard from, by node index.</param>
/// <param name="Heartbeat">Ticks until this node's next heartbeat.</param>
/// <param name="SuspectAfterTicks">
/// The suspicion threshold from the settings, kept in the state (as etcd/raft keeps its
/// timeouts in its <c>raft</c> struct) so properties, which see states only, can judge it.
/// </param>
/// <param name="Suspects">The peers silent for at least <see cref="SuspectAfterTicks"/> ticks.</param>
[GenerateSerializer, Immutable, Alias("on.fd.State")]
public sealed record FailureDetectorState(
    [property: Id(0)] PeerTicks Silence,
    [property: Id(1)] TickTimer Heartbeat,
    [property: Id(2)] int SuspectAfterTicks,
    [property: Id(3)] ImmutableSortedSet<NodeId> Suspects);
