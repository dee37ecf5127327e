using OrleansNodes.Hosting.Clients;
using OrleansNodes.Hosting.Clusters;

namespace OrleansNodes.Silo;

/// <summary>
/// <c>GET /status</c>: every cluster and every node as JSON — the protocol's one-line
/// description (role, ballot, log indexes), ticks, steps, messages sent, inbox depth and the
/// last persisted version, and the silo each node runs on (<c>HOST:PORT@GENERATION</c>). <c>GET /status/{cluster}</c> narrows to one cluster.
/// </summary>
/// <remarks>
/// It answers within a few seconds whatever the cluster is doing: a node that does not answer in
/// time (its silo died, froze or is overloaded) is listed with <c>answered: false</c> and the
/// reason; when the cluster definitions cannot be read (storage is down) the answer is 503 with a
/// JSON <c>error</c>, never an exception for Kestrel to log.
/// </remarks>
public static class StatusEndpoint
{
    /// <summary>Maps the endpoints.</summary>
    public static void MapStatus(this IEndpointRouteBuilder app)
    {
        app.MapGet("/status", (IGrainFactory grains) => AnswerAsync(async nodes =>
        {
            var clusters = await nodes.ListClustersAsync();
            var statuses = await Task.WhenAll(clusters.Select(c => nodes.StatusAsync(c.Name)));
            return Results.Ok(new { clusters = statuses.Select(StatusJsonView.Of) });
        }, grains));
        app.MapGet("/status/{cluster}", (string cluster, IGrainFactory grains) => AnswerAsync(async nodes =>
        {
            if (await nodes.FindClusterAsync(cluster) is null) return Results.NotFound(new { error = $"no cluster named '{cluster}'" });
            return Results.Ok(StatusJsonView.Of(await nodes.StatusAsync(cluster)));
        }, grains));
    }

    private static async Task<IResult> AnswerAsync(Func<NodesClient, Task<IResult>> answer, IGrainFactory grains)
    {
        try
        {
            return await answer(new NodesClient(grains));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var reason = exception.Message.Split('\n', 2)[0].Trim();
            return Results.Json(new { error = $"the cluster definitions cannot be read: {reason}" }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
