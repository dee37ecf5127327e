namespace OrleansNodes.Silo.Tests.Cluster;

/// <summary>
/// The tests that run several silos under load share this collection, so they run one after
/// another: two of them at once on a small machine would mostly measure the machine.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "silo clusters";
}
