namespace OrleansNodes.Hosting.Placement;

/// <summary>
/// The placement of node grains: on a silo that answers, apart from the node's cluster's other
/// nodes (<see cref="NodeSpread"/>). Directed by <see cref="SpreadPlacementDirector"/>.
/// </summary>
[Serializable, GenerateSerializer, Immutable, Alias("on.hosting.SpreadPlacement")]
public sealed class SpreadPlacement : PlacementStrategy
{
    /// <summary>The one instance the attribute hands Orleans.</summary>
    public static SpreadPlacement Instance { get; } = new();
}
