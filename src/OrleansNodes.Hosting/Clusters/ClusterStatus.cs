using System.Collections.Immutable;
using OrleansNodes.Hosting.Nodes;

namespace OrleansNodes.Hosting.Clusters;

/// <summary>A cluster's definition and every node's status, gathered at one moment.</summary>
[GenerateSerializer, Immutable, Alias("on.hosting.ClusterStatus")]
public sealed record ClusterStatus(
    [property: Id(0)] ClusterInfo Cluster,
    [property: Id(1)] ImmutableArray<NodeStatus> Nodes);
