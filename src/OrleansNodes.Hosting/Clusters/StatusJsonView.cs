using OrleansNodes.Hosting.Nodes;

namespace OrleansNodes.Hosting.Clusters;

/// <summary>
/// One cluster's status as the object that serializes to its JSON: the silo's
/// <c>GET /status/{cluster}</c> and the console's <c>cluster status -o json</c> both write it, so
/// a script reads either the same way. Property names are spelled as they appear in the JSON.
/// </summary>
public static class StatusJsonView
{
    /// <summary><c>{"name","protocol","seed","settings","nodes":[...]}</c>, one entry per node.</summary>
    public static object Of(ClusterStatus status) => new
    {
        name = status.Cluster.Name,
        protocol = status.Cluster.Protocol,
        seed = status.Cluster.Seed,
        settings = status.Cluster.Settings,
        nodes = status.Nodes.Select(Of),
    };

    /// <summary>One node: the protocol's view of it (role, leader, ballot, commit, applied; null when it did not answer), its counters, silo and storage figures.</summary>
    public static object Of(NodeStatus node) => new
    {
        node = node.Node.ToString(),
        answered = node.Answered,
        running = node.Running,
        role = node.View?.Role,
        leading = node.View?.Leading,
        leader = node.View?.Leader?.ToString(),
        ballot = node.View?.Ballot,
        commit = node.View?.Commit,
        applied = node.View?.Applied,
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
            flushSeconds = node.FlushSeconds,
        },
    };
}
