using Orleans.Placement;

namespace OrleansNodes.Hosting.Placement;

/// <summary>Places a grain class's activations by <see cref="SpreadPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SpreadPlacementAttribute() : PlacementAttribute(SpreadPlacement.Instance);
