using OrleansNodes.Core;

namespace OrleansNodes.Hosting.Nodes;

/// <summary>
/// One node as its activation sees it now. Counters count since the activation started;
/// <see cref="PersistedVersion"/> is durable. <see cref="Silo"/> is where the activation runs,
/// as <c>HOST:PORT@GENERATION</c> (Orleans' parsable silo address): a node moves when its silo
/// dies, and an operator (or a test that kills the leader's silo) needs to see where it went.
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
    [property: Id(10)] string Silo = "")
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{Node} {(Running ? "up" : "down")} v{PersistedVersion} ticks={Ticks} steps={Steps} sent={MessagesSent} inbox={InboxDepth} pending={PendingRequests} {Description}" + (Silo.Length > 0 ? $" on {Silo}" : "");
}
