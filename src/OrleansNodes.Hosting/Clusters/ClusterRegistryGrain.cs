using System.Collections.Immutable;
using OrleansNodes.Core;
using OrleansNodes.Hosting.Nodes;
using OrleansNodes.Hosting.Protocols;

namespace OrleansNodes.Hosting.Clusters;

/// <summary>Keeps cluster definitions durably and starts their nodes. See <see cref="IClusterRegistryGrain"/>.</summary>
public sealed class ClusterRegistryGrain(
    [PersistentState(ClusterRegistryGrain.StateName, NodeHostOptions.StorageName)] IPersistentState<ClusterRegistryState> state,
    ProtocolRegistry protocols) : Grain, IClusterRegistryGrain
{
    /// <summary>The name the definitions are stored under (<see cref="ClusterCatalog"/> reads them there).</summary>
    public const string StateName = "clusters";

    /// <inheritdoc/>
    public async Task<ClusterInfo> Create(ClusterSpec spec)
    {
        var definition = Define(spec);
        if (state.State.Clusters.TryGetValue(definition.Name, out var existing))
        {
            if (existing != definition)
                throw new ArgumentException($"cluster '{definition.Name}' already exists as {existing}");
        }
        else
        {
            state.State.Clusters[definition.Name] = definition;
            await state.WriteStateAsync();
        }

        // Started even when the cluster already existed: a registry that crashed between its own
        // write and the nodes' writes finishes the job on the next identical Create.
        await Task.WhenAll(definition.Members.Select(node => GrainFactory.GetGrain<INodeGrain>(definition.NodeKey(node)).Start(definition)));
        return ClusterInfo.Of(definition);
    }

    /// <inheritdoc/>
    public Task<ClusterDefinition?> Find(string name) =>
        Task.FromResult(state.State.Clusters.GetValueOrDefault(name));

    /// <inheritdoc/>
    public Task<ImmutableArray<ClusterDefinition>> List() =>
        Task.FromResult<ImmutableArray<ClusterDefinition>>([.. state.State.Clusters.Values.OrderBy(c => c.Name, StringComparer.Ordinal)]);

    private ClusterDefinition Define(ClusterSpec spec)
    {
        if (NodeKey.ValidateClusterName(spec.Name) is { } nameError) throw new ArgumentException(nameError, nameof(spec));
        if (spec.NodeCount is < 1 or > NodeKey.MaxNodes)
            throw new ArgumentException($"a cluster has 1 to {NodeKey.MaxNodes} nodes, not {spec.NodeCount}", nameof(spec));
        var protocol = protocols.Get(spec.Protocol);
        var settings = spec.Settings ?? protocol.DefaultSettings;
        if (!protocol.AcceptsSettings(settings))
            throw new ArgumentException($"protocol '{protocol.Name}' takes {protocol.SettingsType.Name} settings, not {settings.GetType().Name}", nameof(spec));
        return new ClusterDefinition(spec.Name, protocol.Name, spec.NodeCount, settings, spec.Seed ?? SeedOf(spec.Name));
    }

    /// <summary>A stable seed from a name (string.GetHashCode is randomized per process).</summary>
    private static ulong SeedOf(string name)
    {
        var seed = 0UL;
        foreach (var c in name) seed = SeededRandom.Mix(seed, c);
        return seed;
    }
}
