using OrleansNodes.Core;
using OrleansNodes.Hosting.Clusters;

namespace OrleansNodes.Hosting.Nodes;

/// <summary>The production network: one one-way <see cref="INodeGrain.Deliver"/> call per envelope.</summary>
public sealed class GrainNodeNetwork(IGrainFactory grains) : INodeNetwork
{
    /// <inheritdoc/>
    public void Send(string cluster, Envelope<object> envelope)
    {
        // A one-way call completes as soon as the message is queued; there is nothing to await,
        // and delivery failures are indistinguishable from loss, which protocols tolerate.
        _ = grains.GetGrain<INodeGrain>(NodeKey.Format(cluster, envelope.To)).Deliver(envelope.From, envelope.Message);
    }
}
