using System.Collections.Immutable;
using OrleansNodes.Hosting.Clusters;
using OrleansNodes.Hosting.Nodes;

namespace OrleansNodes.Client.Commands;

/// <summary>
/// The JSON of <c>cluster list</c>, <c>cluster status</c> and <c>watch</c> (<c>-o json</c>). A
/// cluster's status has exactly the shape of the silo's <c>GET /status/{cluster}</c>
/// (silo/StatusEndpoint.cs), so a script can read either.
/// </summary>
public static class StatusJson
{
    /// <summary><c>{"clusters":[{"name","protocol","nodeCount","seed","settings"}]}</c>.</summary>
    public static object Clusters(ImmutableArray<ClusterInfo> clusters) => new
    {
        clusters = clusters.Select(c => new
        {
            name = c.Name,
            protocol = c.Protocol,
            nodeCount = c.NodeCount,
            seed = c.Seed,
            settings = c.Settings,
        }),
    };

    /// <summary><c>{"name","protocol","seed","settings","nodes":[...]}</c>, one entry per node, as the silo's <c>/status/{cluster}</c>.</summary>
    public static object Cluster(ClusterStatus status) => new
    {
        name = status.Cluster.Name,
        protocol = status.Cluster.Protocol,
        seed = status.Cluster.Seed,
        settings = status.Cluster.Settings,
        nodes = status.Nodes.Select(Node),
    };

    /// <summary>One refresh of <c>watch</c>: <c>{"refresh":N,"time":ISO-8601 UTC,"cluster":{...as Cluster...}}</c>.</summary>
    public static object Refresh(int refresh, DateTimeOffset time, ClusterStatus status) => new
    {
        refresh,
        time = time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
        cluster = Cluster(status),
    };

    private static object Node(NodeStatus node) => new
    {
        node = node.Node.ToString(),
        answered = node.Answered,
        running = node.Running,
        state = node.Description,
        ticks = node.Ticks,
        steps = node.Steps,
        messagesSent = node.MessagesSent,
        inbox = node.InboxDepth,
        pendingRequests = node.PendingRequests,
        persistedVersion = node.PersistedVersion,
        silo = node.Silo,
        storage = new
        {
            writes = node.StorageWrites,
            bytes = node.StorageBytes,
            writesPerSecond = node.WritesPerSecond,
            bytesPerSecond = node.BytesPerSecond,
            logLength = node.LogLength,
            snapshotIndex = node.SnapshotIndex,
            snapshotBytes = node.SnapshotBytes,
        },
    };
}
