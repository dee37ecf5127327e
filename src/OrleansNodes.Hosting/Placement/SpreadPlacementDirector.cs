using Orleans.Runtime.Placement;
using OrleansNodes.Hosting.Clusters;

namespace OrleansNodes.Hosting.Placement;

/// <summary>
/// Chooses the silo a node grain is activated on: the silo named by a placement hint when it is a
/// compatible silo that answers (how <see cref="PlacementKeeper"/> moves a node), otherwise
/// <see cref="NodeSpread.Choose"/> over the compatible silos that answered their last ping, with the
/// cluster's other nodes where this silo last saw them.
/// </summary>
/// <remarks>
/// Membership keeps listing a killed or frozen silo as active until it is voted dead (seconds to
/// tens of seconds); a node placed there would not run until then, so silos that did not answer
/// their last ping (<see cref="SiloReachability"/>) are left out while any other is compatible.
/// </remarks>
internal sealed class SpreadPlacementDirector(SiloReachability reachability, NodeLocations locations) : IPlacementDirector
{
    /// <inheritdoc/>
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        SiloAddress[] compatible;
        try
        {
            compatible = context.GetCompatibleSilos(target);
        }
        catch (OrleansException) when (context.LocalSiloStatus is SiloStatus.ShuttingDown or SiloStatus.Stopping or SiloStatus.Dead)
        {
            // A stopping silo asks where to move its nodes; the last silo of a cluster has nowhere
            // to send them. No silo means "do not move" to Orleans' shutdown migration, which would
            // otherwise log this as an error for every node.
            return Task.FromResult<SiloAddress>(null!);
        }
        var answering = compatible.Where(reachability.IsReachable).ToArray();
        var candidates = answering.Length > 0 ? answering : compatible;
        if (IPlacementDirector.GetPlacementHint(target.RequestContextData, candidates) is { } hint) return Task.FromResult(hint);

        var key = target.GrainIdentity.Key.ToString()!;
        if (!NodeKey.TryParse(key, out var cluster, out var node))
            return Task.FromResult(NodeSpread.Rank(key, candidates)[0]);
        return Task.FromResult(NodeSpread.Choose(cluster, node, candidates, locations.SiblingsOf(cluster, node)));
    }
}
