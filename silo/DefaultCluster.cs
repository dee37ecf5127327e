using Microsoft.Extensions.Options;
using OrleansNodes.Hosting.Clients;
using OrleansNodes.Hosting.Clusters;
using OrleansNodes.Hosting.Storage;

namespace OrleansNodes.Silo;

/// <summary>
/// Once the silo is up: creates the configured cluster unless it already exists (a restarted
/// silo keeps its clusters: the registry and every node are in the SQLite file), then wakes
/// every node of every cluster. The keep-alive reminders would wake them too, but only at
/// their next period (a minute); this makes a restart resume at once.
/// </summary>
public sealed partial class DefaultCluster(
    IGrainFactory grains,
    NodeStore store,
    IOptions<HostSettings> options,
    IHostApplicationLifetime lifetime,
    ILogger<DefaultCluster> logger) : BackgroundService
{
    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wanted = options.Value;
        // Grain calls need a started silo; ApplicationStarted fires after Orleans' hosted service.
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(started.SetResult);
        await started.Task.WaitAsync(stoppingToken);
        // What an operator needs first: where to point the console, and where the data is.
        LogReady(wanted.Storage, store.Description, wanted.GatewayPort, wanted.SiloPort, wanted.Url.TrimEnd('/'));

        var nodes = new NodesClient(grains);
        try
        {
            if (wanted.Cluster.Length == 0)
            {
                // No default cluster configured.
            }
            else if (await nodes.FindClusterAsync(wanted.Cluster) is { } existing)
            {
                LogExisting(existing.ToString());
            }
            else
            {
                var created = await nodes.CreateClusterAsync(new ClusterSpec(wanted.Cluster, wanted.Protocol, wanted.Nodes));
                LogCreated(created.ToString());
            }
            // Asking a node for its status activates it, and activation starts its ticks.
            foreach (var cluster in await nodes.ListClustersAsync()) await nodes.StatusAsync(cluster.Name);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogCreateFailed(exception, wanted.Cluster, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo ready: storage profile {Profile}, node state in {Store}; gateway port {GatewayPort} (the console's --gateway), silo port {SiloPort}; dashboard {Url}/dashboard/, status {Url}/status, protocol page {Url}/protocol/")]
    private partial void LogReady(string profile, string store, int gatewayPort, int siloPort, string url);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster {Cluster} is already defined; its nodes resume from storage")]
    private partial void LogExisting(string cluster);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created cluster {Cluster}")]
    private partial void LogCreated(string cluster);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not create or wake cluster {Cluster}: {Reason}")]
    private partial void LogCreateFailed(Exception exception, string cluster, string reason);
}
