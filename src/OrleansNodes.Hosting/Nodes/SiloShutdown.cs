using Microsoft.Extensions.Logging;
using OrleansNodes.Hosting.Placement;

namespace OrleansNodes.Hosting.Nodes;

/// <summary>
/// Tells this silo's nodes and gateways that the silo is stopping, before Orleans deactivates
/// them. Orleans deactivates a grain only after its running requests end, and a request waiting
/// on a node ends when the node steps on, which a deactivating node no longer does: without this,
/// every stop with requests in flight waited out Orleans' deactivation timeout (30 s) and then
/// broke the requests' connections.
/// </summary>
/// <remarks>
/// It stops first among the silo's services (<see cref="ServiceLifecycleStage.Active"/>), while
/// the silo still serves calls: each local node ends its waiting requests as "unknown outcome"
/// (<see cref="INodeGrain.SiloStopping"/>), and from then on nodes and gateways here refuse new
/// requests as transient, so clients retry them on another silo. Nodes go on stepping and
/// messaging their peers until Orleans deactivates them.
/// </remarks>
public sealed partial class SiloShutdown(NodeLocations locations, IGrainFactory grains, ILogger<SiloShutdown> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    // A node answers at once (the call interleaves with its loop); this bounds a node that cannot.
    private static readonly TimeSpan NodeBound = TimeSpan.FromSeconds(5);

    private volatile bool _stopping;

    /// <summary>Whether this silo has begun to stop.</summary>
    public bool IsStopping => _stopping;

    /// <inheritdoc/>
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SiloShutdown), ServiceLifecycleStage.Active, _ => Task.CompletedTask, OnStopAsync);

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        var nodes = locations.Local;
        await Task.WhenAll(nodes.Select(key => TellAsync(key, cancellationToken)));
    }

    private async Task TellAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await grains.GetGrain<INodeGrain>(key).SiloStopping().WaitAsync(NodeBound, cancellationToken);
        }
        catch (Exception exception) when (exception is OrleansException or TimeoutException or OperationCanceledException)
        {
            // Its waiting requests then end when it deactivates, as before.
            LogNotTold(key, exception.Message.Split('\n', 2)[0]);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} was not told that its silo is stopping: {Problem}")]
    private partial void LogNotTold(string node, string problem);
}
