namespace OrleansNodes.Hosting.Clusters;

/// <summary>The registry's persisted state: every cluster definition by name.</summary>
[GenerateSerializer, Alias("on.hosting.ClusterRegistryState")]
public sealed class ClusterRegistryState
{
    /// <summary>Definitions by cluster name.</summary>
    [Id(0)] public Dictionary<string, ClusterDefinition> Clusters { get; set; } = new(StringComparer.Ordinal);
}
