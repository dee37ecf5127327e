namespace OrleansNodes.Hosting.Clusters;

/// <summary>
/// A request to create a cluster. <see cref="Settings"/> null means the protocol's registered
/// defaults; <see cref="Seed"/> null means a seed derived from the name, so the same spec
/// always yields the same definition and creating a cluster is idempotent.
/// </summary>
[GenerateSerializer, Immutable, Alias("on.hosting.ClusterSpec")]
public sealed record ClusterSpec(
    [property: Id(0)] string Name,
    [property: Id(1)] string Protocol,
    [property: Id(2)] int NodeCount,
    [property: Id(3)] object? Settings = null,
    [property: Id(4)] ulong? Seed = null);
