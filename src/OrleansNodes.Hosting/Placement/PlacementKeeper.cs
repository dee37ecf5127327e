using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Placement;
using OrleansNodes.Core;
using OrleansNodes.Hosting.Clients;
using OrleansNodes.Hosting.Clusters;
using OrleansNodes.Hosting.Nodes;

namespace OrleansNodes.Hosting.Placement;

/// <summary>
/// Runs on every silo, once per <see cref="NodeHostOptions.PlacementPeriod"/> and whenever
/// membership changes: pings the other active silos (<see cref="SiloReachability"/>), learns where
/// the nodes of its own nodes' clusters run (<see cref="NodeLocations"/>), and moves at most one of
/// its nodes when its cluster is spread unevenly (<see cref="NodeSpread.NextMove"/>). After a silo is declared dead, the
/// first active silo wakes every node, so none is left without an activation until its keep-alive
/// reminder fires.
/// </summary>
/// <remarks>
/// <para>A node moves only when nothing is in flux: the active silos stayed the same across
/// <see cref="SettleChecks"/> check (a quarter period after a change), every one of them answered
/// its ping, no endpoint is listed twice (a restarted silo whose old generation is not yet declared
/// dead), and every node of the cluster answered its status and runs. Taking one replica down for
/// a move is then safe for the cluster's majority, and its target is a silo that is up now. Every
/// silo computes the same move from the same facts, and only the silo hosting the mover acts.</para>
/// <para>A move is <see cref="INodeGrain.Move"/> (the activation ends its waiting requests and
/// deactivates) followed by a status call carrying the target as Orleans' placement hint, which
/// activates the node there at once; messages that reached the old activation meanwhile are
/// forwarded to the new one. Orleans' own migration was the first mechanism tried and is not used:
/// see docs/design-decisions.md §10.</para>
/// </remarks>
internal sealed partial class PlacementKeeper(
    IClusterMembershipService membership,
    ILocalSiloDetails local,
    SiloProbeClient probes,
    SiloReachability reachability,
    NodeLocations locations,
    ClusterCatalog catalog,
    IGrainFactory grains,
    IOptions<NodeHostOptions> options,
    ILogger<PlacementKeeper> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>
    /// Checks in a row the active silos must stay the same for before a node moves (besides every
    /// one of them answering its ping). One is enough: a silo that joins or leaves changes the set,
    /// and waiting longer leaves a cluster doubled up on one silo, where a second failure costs the
    /// majority, for longer.
    /// </summary>
    public const int SettleChecks = 1;

    // How long a moved node may take to deactivate and start at its target before the keeper
    // stops waiting (the node still starts there; the keeper just checks again next period).
    private static readonly TimeSpan MoveBound = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _membershipChanged = new(0);
    private Task _loop = Task.CompletedTask;
    private SiloAddress[] _lastActive = [];
    private int _stableChecks;
    private int _deadCount = -1;

    private TimeSpan Period => options.Value.PlacementPeriod;

    /// <inheritdoc/>
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PlacementKeeper), ServiceLifecycleStage.Active, OnStartAsync, OnStopAsync);

    private Task OnStartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.WhenAll(Task.Run(RunAsync, CancellationToken.None), Task.Run(WatchMembershipAsync, CancellationToken.None));
        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    // A check runs once a period, and also as soon as membership changes: a silo that joins should
    // receive the nodes doubled up elsewhere while no second failure has hit them.
    private async Task WatchMembershipAsync()
    {
        try
        {
            await foreach (var _ in membership.MembershipUpdates.WithCancellation(_stopping.Token))
                if (_membershipChanged.CurrentCount == 0) _membershipChanged.Release();
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private async Task RunAsync()
    {
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                try
                {
                    await CheckAsync();
                }
                catch (Exception exception) when (!_stopping.IsCancellationRequested)
                {
                    LogCheckFailed(exception.Message.Split('\n', 2)[0]);
                }
                // Right after a change, look again soon: the change is settled once it held across
                // one check, and a quarter period is long enough for a joining silo's ping to tell.
                await _membershipChanged.WaitAsync(_stableChecks == 0 ? Period / 4 : Period, _stopping.Token);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>One period's work: probe, learn, and move at most one node.</summary>
    private async Task CheckAsync()
    {
        var snapshot = membership.CurrentSnapshot;
        var here = local.SiloAddress;
        var active = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).Order().ToArray();
        reachability.Retain(snapshot.Members.Keys.ToHashSet());
        await ProbeAsync(active.Where(silo => !silo.Equals(here)));

        _stableChecks = active.SequenceEqual(_lastActive) ? _stableChecks + 1 : 0;
        _lastActive = active;
        var settled = _stableChecks >= SettleChecks
            && active.All(reachability.IsReachable)
            && active.Select(silo => silo.Endpoint).Distinct().Count() == active.Length;

        var dead = snapshot.Members.Values.Count(m => m.Status == SiloStatus.Dead);
        if (dead > _deadCount && _deadCount >= 0 && IsFirst(here, active)) await WakeAllAsync();
        _deadCount = dead;

        var targets = active.Where(reachability.IsReachable).ToArray();
        foreach (var name in locations.Local.Select(key => NodeKey.TryParse(key, out var cluster, out _) ? cluster : null).OfType<string>().Distinct().Order(StringComparer.Ordinal))
        {
            if (await catalog.FindAsync(name) is not { } definition) continue;
            var status = await new NodesClient(grains).StatusAsync(name, Period);
            foreach (var node in status.Nodes.Where(n => n.Answered && n.Silo.Length > 0))
                locations.Record(name, node.Node, SiloAddress.FromParsableString(node.Silo));
            if (!settled || status.Nodes.Any(n => !n.Answered || !n.Running)) continue;

            var where = status.Nodes.ToDictionary(n => n.Node, n => SiloAddress.FromParsableString(n.Silo));
            if (NodeSpread.NextMove(name, where, targets) is { } move && move.From.Equals(here))
            {
                await MoveAsync(definition, move);
                return;
            }
        }
    }

    private async Task ProbeAsync(IEnumerable<SiloAddress> silos) =>
        await Task.WhenAll(silos.Select(async silo =>
        {
            try
            {
                await probes.On(silo).Ping().WaitAsync(Period);
                reachability.Record(silo, answered: true);
            }
            catch (Exception exception) when (exception is TimeoutException or OrleansException)
            {
                reachability.Record(silo, answered: false);
            }
        }));

    /// <summary>Moves one node off this silo to <see cref="NodeMove.To"/>.</summary>
    private async Task MoveAsync(ClusterDefinition definition, NodeMove move)
    {
        LogMove(definition.Name, move.Node, move.From.ToString(), move.To.ToString());
        var node = grains.GetGrain<INodeGrain>(definition.NodeKey(move.Node));
        await node.Move().WaitAsync(MoveBound);
        // The hint rides in this call's request context: the status call reaches the old
        // activation, waits there while it deactivates, and is forwarded with its context to a new
        // activation that the director places on the target.
        RequestContext.Set(IPlacementDirector.PlacementHintKey, move.To);
        try
        {
            var status = await node.GetStatus().WaitAsync(MoveBound);
            if (status.Silo.Length > 0) locations.Record(definition.Name, move.Node, SiloAddress.FromParsableString(status.Silo));
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }

    /// <summary>Asks every node of every cluster for its status, which activates the ones whose silo died.</summary>
    private async Task WakeAllAsync()
    {
        var client = new NodesClient(grains);
        foreach (var cluster in await catalog.ListAsync()) await client.StatusAsync(cluster.Name, MoveBound);
    }

    // One silo wakes the nodes after a death, not all of them: the first active one by address.
    private static bool IsFirst(SiloAddress here, SiloAddress[] active) =>
        active.Length > 0 && active.MinBy(silo => silo.Endpoint.ToString(), StringComparer.Ordinal)!.Equals(here);

    [LoggerMessage(Level = LogLevel.Information, Message = "Moving node {Cluster}/{Node} from silo {From} to {To}, where its cluster has fewer nodes")]
    private partial void LogMove(string cluster, NodeId node, string from, string to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Placement check failed: {Reason}")]
    private partial void LogCheckFailed(string reason);
}
