using Orleans.Placement;
using Orleans.Runtime;

namespace OrleansNodes.Hosting.Nodes;

/// <summary>
/// Places the nodes of one cluster on different silos (see <see cref="SpreadPlacementDirector"/>),
/// so that losing one silo loses one replica, not all of them.
/// </summary>
[GenerateSerializer, Immutable, Alias("on.hosting.SpreadPlacement")]
public sealed class SpreadPlacement : PlacementStrategy
{
    /// <summary>The one instance.</summary>
    public static readonly SpreadPlacement Instance = new();
}

/// <summary>Marks a grain class as placed by <see cref="SpreadPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SpreadPlacementAttribute() : PlacementAttribute(SpreadPlacement.Instance);
