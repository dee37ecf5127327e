using OrleansNodes.Core;

namespace OrleansNodes.Hosting.Nodes;

/// <summary>
/// One node as its activation sees it now. Counters count since the activation started;
/// <see cref="PersistedVersion"/> (writes to storage ever) is durable. <see cref="Silo"/> is where
/// the activation runs, as <c>HOST:PORT@GENERATION</c> (Orleans' parsable silo address): a node
/// moves when its silo dies, and an operator (or a test that kills the leader's silo) needs to
/// see where it went. The storage figures say what the node costs its store: writes and bytes
/// per second over the last ten seconds, and the size of its durable log and snapshot.
/// <see cref="View"/> is the protocol's <c>Inspect</c> (role, leader, ballot, commit and applied
/// index); <see cref="FlushSeconds"/> the mean write's duration over the same ten seconds.
/// <see cref="Answered"/> is false for a node that did not answer in time (<see cref="NotAnswering"/>):
/// then only its identity and the reason are known.
/// </summary>
[GenerateSerializer, Immutable, Alias("on.hosting.NodeStatus")]
public sealed record NodeStatus(
    [property: Id(0)] string Cluster,
    [property: Id(1)] NodeId Node,
    [property: Id(2)] bool Running,
    [property: Id(3)] string Description,
    [property: Id(4)] long Ticks,
    [property: Id(5)] int InboxDepth,
    [property: Id(6)] long Steps,
    [property: Id(7)] long MessagesSent,
    [property: Id(8)] long PersistedVersion,
    [property: Id(9)] int PendingRequests,
    [property: Id(10)] string Silo = "",
    [property: Id(11)] long StorageWrites = 0,
    [property: Id(12)] long StorageBytes = 0,
    [property: Id(13)] double WritesPerSecond = 0,
    [property: Id(14)] double BytesPerSecond = 0,
    [property: Id(15)] long LogLength = 0,
    [property: Id(16)] long? SnapshotIndex = null,
    [property: Id(17)] long SnapshotBytes = 0,
    [property: Id(18)] bool Answered = true,
    [property: Id(19)] NodeView? View = null,
    [property: Id(20)] double FlushSeconds = 0)
{
    /// <summary>A node that did not answer a status request in time: its silo may be gone, frozen or overloaded.</summary>
    public static NodeStatus NotAnswering(string cluster, NodeId node, string reason) =>
        new(cluster, node, Running: false, Description: $"not answering: {reason}", 0, 0, 0, 0, 0, 0, Answered: false);

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Node} {(Running ? "up" : "down")} v{PersistedVersion} ticks={Ticks} steps={Steps} sent={MessagesSent} inbox={InboxDepth} pending={PendingRequests} " +
        $"writes/s={WritesPerSecond:0.#} bytes/s={BytesPerSecond:0} log={LogLength} snapshot={(SnapshotIndex is { } index ? $"{index} ({SnapshotBytes} B)" : "none")} {Description}" +
        (Silo.Length > 0 ? $" on {Silo}" : "");
}
