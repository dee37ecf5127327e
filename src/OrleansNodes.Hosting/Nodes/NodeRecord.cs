using OrleansNodes.Hosting.Clusters;

namespace OrleansNodes.Hosting.Nodes;

/// <summary>
/// What a node grain persists: the cluster it belongs to, the protocol state (the protocol's
/// <c>TState</c>, written by Orleans' serializer with its runtime type), and how many times it
/// has been written. One write per batch of steps (DESIGN.md, the node loop).
/// </summary>
[GenerateSerializer, Immutable, Alias("on.hosting.NodeRecord")]
public sealed record NodeRecord
{
    /// <summary>The cluster this node was started in; null for a node never started.</summary>
    [Id(0)] public ClusterDefinition? Definition { get; init; }

    /// <summary>The protocol's last persisted state.</summary>
    [Id(1)] public object? State { get; init; }

    /// <summary>Number of writes so far: the version of <see cref="State"/>.</summary>
    [Id(2)] public long Version { get; init; }
}
