using Orleans.Concurrency;
using OrleansNodes.Core;
using OrleansNodes.Hosting.Clients;
using OrleansNodes.Hosting.Clusters;

namespace OrleansNodes.Hosting.Nodes;

/// <summary>
/// One logical server of a cluster, keyed <c>&lt;cluster&gt;/&lt;index&gt;</c>. Inputs only
/// enqueue and return (they interleave with the node's own drain loop, which is the only code
/// that steps, persists and sends); nodes talk to each other only through one-way
/// <see cref="Deliver"/>, so no node ever awaits another.
/// </summary>
[Alias("on.hosting.INodeGrain")]
public interface INodeGrain : IGrainWithStringKey
{
    /// <summary>
    /// Makes this grain node <c>n&lt;index&gt;</c> of <paramref name="definition"/> and persists its
    /// initial state. Idempotent for the same definition; a different one is refused.
    /// </summary>
    [Alias("Start")]
    Task Start(ClusterDefinition definition);

    /// <summary>A peer message. One-way: the sender never waits, and the message may be lost or reordered.</summary>
    [OneWay, AlwaysInterleave, Alias("Deliver")]
    Task Deliver(NodeId from, [Immutable] object message);

    /// <summary>
    /// <see cref="Deliver"/>, answered once the message is queued. The answer is not news to the
    /// sender; it carries Orleans' correction of the sending silo's cached address of this node
    /// after a move, which a one-way call never gets (<see cref="GrainNodeNetwork"/>).
    /// </summary>
    [AlwaysInterleave, Alias("DeliverWithReceipt")]
    Task DeliverWithReceipt(NodeId from, [Immutable] object message, CancellationToken cancellation);

    /// <summary>A client request; completes when the protocol replies and the state behind the reply is persisted.</summary>
    [AlwaysInterleave, Alias("Request")]
    Task<RequestOutcome> Request(ClientId client, long sequence, [Immutable] object command);

    /// <summary>This node's status.</summary>
    [AlwaysInterleave, Alias("GetStatus")]
    Task<NodeStatus> GetStatus();

    /// <summary>
    /// Leaves this silo: waiting requests end as "unknown outcome" (their clients retry them),
    /// and the activation deactivates once its batch in flight is written. The next call places
    /// it anew (<see cref="Placement.SpreadPlacementDirector"/>). Called by <see cref="Placement.PlacementKeeper"/>.
    /// </summary>
    [AlwaysInterleave, Alias("Move")]
    Task Move();

    /// <summary>
    /// Its silo is stopping: waiting requests end as "unknown outcome" and new ones are refused as
    /// transient, since Orleans would hold the silo's stop until they ended by themselves, which a
    /// deactivating node does not make them do. The node goes on running until it deactivates.
    /// Called by the silo (<see cref="SiloShutdown"/>).
    /// </summary>
    [AlwaysInterleave, Alias("SiloStopping")]
    Task SiloStopping();
}
