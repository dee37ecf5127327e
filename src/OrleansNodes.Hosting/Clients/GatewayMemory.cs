using System.Collections.Concurrent;
using OrleansNodes.Core;

namespace OrleansNodes.Hosting.Clients;

/// <summary>
/// What a silo's gateways have learned about each cluster's nodes: the node that answered last
/// (the leader, as a rule) and the nodes that let an attempt expire, with when to trust them
/// again. One per silo, shared by all its <see cref="ClusterGatewayGrain"/> activations: a
/// stateless worker has many (one per lane, and more under load), and a request on a lane that
/// was never used must still go where the last one went, not to a node that stopped answering.
/// </summary>
public sealed class GatewayMemory
{
    private readonly ConcurrentDictionary<string, Cluster> _clusters = new(StringComparer.Ordinal);

    /// <summary>The node of <paramref name="cluster"/> that answered last, if any has.</summary>
    public NodeId? LastAnswered(string cluster)
    {
        var memory = Of(cluster);
        lock (memory) return memory.LastAnswered;
    }

    /// <summary>Records that <paramref name="node"/> answered: it is the first choice, and no longer suspect.</summary>
    public void Answered(string cluster, NodeId node)
    {
        var memory = Of(cluster);
        lock (memory)
        {
            memory.LastAnswered = node;
            memory.SuspectUntil.Remove(node);
        }
    }

    /// <summary>Passes <paramref name="node"/> over as a first choice until the <see cref="System.Diagnostics.Stopwatch"/> timestamp <paramref name="until"/>.</summary>
    public void Suspect(string cluster, NodeId node, long until)
    {
        var memory = Of(cluster);
        lock (memory) memory.SuspectUntil[node] = until;
    }

    /// <summary>Whether <paramref name="node"/> is passed over as a first choice at timestamp <paramref name="now"/>.</summary>
    public bool IsSuspect(string cluster, NodeId node, long now)
    {
        var memory = Of(cluster);
        lock (memory) return memory.SuspectUntil.TryGetValue(node, out var until) && until > now;
    }

    private Cluster Of(string cluster) => _clusters.GetOrAdd(cluster, static _ => new Cluster());

    // Guarded by its own lock.
    private sealed class Cluster
    {
        public NodeId? LastAnswered { get; set; }

        public Dictionary<NodeId, long> SuspectUntil { get; } = [];
    }
}
