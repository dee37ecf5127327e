using OrleansNodes.Hosting.Clients;
using OrleansNodes.Hosting.Nodes;

namespace OrleansNodes.Silo;

/// <summary>
/// <c>GET /status</c>: every cluster and every node as JSON — the protocol's one-line
/// description (role, ballot, log indexes), ticks, steps, messages sent, inbox depth and the
/// last persisted version, and the silo each node runs on (<c>HOST:PORT@GENERATION</c>). <c>GET /status/{cluster}</c> narrows to one cluster.
/// </summary>
public static class StatusEndpoint
{
    /// <summary>Maps the endpoints.</summary>
    public static void MapStatus(this IEndpointRouteBuilder app)
    {
        app.MapGet("/status", async (IGrainFactory grains) =>
        {
            var nodes = new NodesClient(grains);
            var clusters = await nodes.ListClustersAsync();
            var statuses = await Task.WhenAll(clusters.Select(c => nodes.StatusAsync(c.Name)));
            return Results.Ok(new { clusters = statuses.Select(View) });
        });
        app.MapGet("/status/{cluster}", async (string cluster, IGrainFactory grains) =>
        {
            var nodes = new NodesClient(grains);
            if (await nodes.FindClusterAsync(cluster) is null) return Results.NotFound(new { error = $"no cluster named '{cluster}'" });
            return Results.Ok(View(await nodes.StatusAsync(cluster)));
        });
    }

    private static object View(Hosting.Clusters.ClusterStatus status) => new
    {
        name = status.Definition.Name,
        protocol = status.Definition.Protocol,
        seed = status.Definition.Seed,
        settings = status.Definition.Settings.ToString(),
        nodes = status.Nodes.Select(View),
    };

    private static object View(NodeStatus node) => new
    {
        node = node.Node.ToString(),
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
