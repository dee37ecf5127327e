using System.Collections.Immutable;
using OrleansNodes.Core;

namespace OrleansNodes.Hosting.Clusters;

/// <summary>
/// A cluster as a client sees it: a <see cref="ClusterDefinition"/> with its settings as text. A
/// definition carries the protocol's own settings object, which a client that does not ship the
/// protocol (a console driving an author's protocol on the author's silo) cannot deserialize; this
/// carries nothing but strings and numbers, so every client can read it.
/// </summary>
/// <param name="Name">The cluster's name.</param>
/// <param name="Protocol">Its protocol's name.</param>
/// <param name="NodeCount">How many nodes it has.</param>
/// <param name="Settings">Its settings as their <c>ToString()</c> (records print every field).</param>
/// <param name="Seed">The seed its nodes derive their randomness from.</param>
[GenerateSerializer, Immutable, Alias("on.hosting.ClusterInfo")]
public sealed record ClusterInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] string Protocol,
    [property: Id(2)] int NodeCount,
    [property: Id(3)] string Settings,
    [property: Id(4)] ulong Seed)
{
    /// <summary>What a client may see of <paramref name="definition"/>.</summary>
    public static ClusterInfo Of(ClusterDefinition definition) =>
        new(definition.Name, definition.Protocol, definition.NodeCount, definition.Settings.ToString() ?? string.Empty, definition.Seed);

    /// <summary>The cluster's node ids, 0 to <see cref="NodeCount"/> − 1.</summary>
    public ImmutableArray<NodeId> Members => NodeId.Range(NodeCount);

    /// <summary>The grain key of node <paramref name="node"/>.</summary>
    public string NodeKey(NodeId node) => Clusters.NodeKey.Format(Name, node);

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Protocol} × {NodeCount} (seed {Seed}) {Settings}";
}
