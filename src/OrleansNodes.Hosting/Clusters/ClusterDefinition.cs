using System.Collections.Immutable;
using OrleansNodes.Core;

namespace OrleansNodes.Hosting.Clusters;

/// <summary>
/// A cluster as it was created: its name, the protocol its nodes run, how many nodes, the
/// protocol's settings and the seed every node's randomness derives from. Fixed for the
/// cluster's life (membership change is out of scope, docs/design-decisions.md §2); every node
/// keeps a copy in its own persisted record, so a node never has to ask anyone who it is.
/// </summary>
[GenerateSerializer, Immutable, Alias("on.hosting.ClusterDefinition")]
public sealed record ClusterDefinition(
    [property: Id(0)] string Name,
    [property: Id(1)] string Protocol,
    [property: Id(2)] int NodeCount,
    [property: Id(3)] object Settings,
    [property: Id(4)] ulong Seed)
{
    /// <summary>The cluster's node ids, <c>n0 .. n(NodeCount-1)</c>.</summary>
    public ImmutableArray<NodeId> Members => NodeId.Range(NodeCount);

    /// <summary>The grain key of <paramref name="node"/>: <c>&lt;cluster&gt;/&lt;index&gt;</c>.</summary>
    public string NodeKey(NodeId node) => Clusters.NodeKey.Format(Name, node);

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Protocol} × {NodeCount} (seed {Seed}) {Settings}";
}
