using Orleans.Concurrency;
using OrleansNodes.Core;

namespace OrleansNodes.Hosting.Clients;

/// <summary>
/// The front door of one cluster, a stateless worker local to the silo a client connects to. It
/// hands a request to a node, follows the protocol's redirects and retries with the same request
/// id, and reports a request it could not see answered as <see cref="RequestOutcome.Unknown"/>,
/// never as a failure.
/// </summary>
/// <remarks>
/// The key is the cluster name, optionally followed by <c>/LANE</c> (<see cref="Key"/>). An
/// Orleans client sends every call to one grain through the same gateway connection while that
/// connection lives, so a client that wants to spread its calls over its gateways, or to retry
/// through another gateway after one froze, calls another lane: the same front door under
/// another grain id, which the client maps to a gateway of its own (<see cref="ClusterSession"/>).
/// </remarks>
[Alias("on.hosting.IClusterGatewayGrain")]
public interface IClusterGatewayGrain : IGrainWithStringKey
{
    /// <summary>The grain key of lane <paramref name="lane"/> of <paramref name="cluster"/>'s front door.</summary>
    public static string Key(string cluster, int lane) => lane == 0 ? cluster : $"{cluster}/{lane}";

    /// <summary>The cluster a front door's key names.</summary>
    public static string ClusterOf(string key) => key.IndexOf('/') is var slash and >= 0 ? key[..slash] : key;

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
