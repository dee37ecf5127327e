using OrleansNodes.Core;

namespace OrleansNodes.Hosting.Nodes;

/// <summary>
/// How a node's outbox leaves it. The default sends one-way grain calls; a test can wrap it
/// to observe (or lose) what nodes send. Called only after the batch that produced the sends
/// has been persisted.
/// </summary>
public interface INodeNetwork
{
    /// <summary>Sends <paramref name="envelope"/> between nodes of <paramref name="cluster"/>, without waiting.</summary>
    void Send(string cluster, Envelope<object> envelope);
}
