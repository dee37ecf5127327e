using Orleans.Concurrency;
using OrleansNodes.Core;

namespace OrleansNodes.Hosting.Clients;

/// <summary>
/// The front door of one cluster (key: the cluster name), a stateless worker local to the
/// silo a client connects to. It hands a request to a node, follows the protocol's redirects
/// and retries with the same request id, and reports a request it could not see answered as
/// <see cref="RequestOutcome.Unknown"/>, never as a failure.
/// </summary>
[Alias("on.hosting.IClusterGatewayGrain")]
public interface IClusterGatewayGrain : IGrainWithStringKey
{
    /// <summary>
    /// Submits request <paramref name="sequence"/> of <paramref name="client"/>. Resubmitting the
    /// same id is safe: protocols deduplicate by it.
    /// </summary>
    /// <param name="client">The client session.</param>
    /// <param name="sequence">The request's number within the session.</param>
    /// <param name="command">The protocol's request (its <c>TRequest</c>).</param>
    /// <param name="preferred">The node to try first (e.g. the last known leader), or null.</param>
    /// <param name="timeout">How long to keep trying before answering "unknown outcome".</param>
    [Alias("Submit")]
    Task<RequestOutcome> Submit(ClientId client, long sequence, [Immutable] object command, NodeId? preferred, TimeSpan timeout);
}
