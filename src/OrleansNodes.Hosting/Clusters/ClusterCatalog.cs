using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace OrleansNodes.Hosting.Clusters;

/// <summary>
/// The cluster definitions, as this silo reads them from the registry's storage directly. The
/// registry grain is the one writer, but it is one grain for the whole system: after its silo
/// dies, it answers nobody until membership declares that silo dead. Reads must not wait on
/// it, so gateways, status and placement read here instead. A definition never changes once
/// written, so a found one is kept for the life of the silo.
/// </summary>
public sealed class ClusterCatalog(IServiceProvider services, IGrainFactory grains)
{
    private readonly ConcurrentDictionary<string, ClusterDefinition> _known = new(StringComparer.Ordinal);

    /// <summary>The cluster called <paramref name="name"/>, or null; reads storage unless it is known.</summary>
    public async Task<ClusterDefinition?> FindAsync(string name)
    {
        if (_known.TryGetValue(name, out var known)) return known;
        return (await ReadAsync()).GetValueOrDefault(name);
    }

    /// <summary>Every cluster, in name order, as storage holds them now.</summary>
    public async Task<ImmutableArray<ClusterDefinition>> ListAsync() =>
        [.. (await ReadAsync()).Values.OrderBy(c => c.Name, StringComparer.Ordinal)];

    /// <summary>The clusters already read (no storage access), for callers that must not wait.</summary>
    public IReadOnlyCollection<ClusterDefinition> Known => [.. _known.Values];

    private async Task<Dictionary<string, ClusterDefinition>> ReadAsync()
    {
        var storage = services.GetRequiredKeyedService<IGrainStorage>(NodeHostOptions.StorageName);
        var state = new GrainState<ClusterRegistryState>(new ClusterRegistryState());
        var registry = grains.GetGrain<IClusterRegistryGrain>(IClusterRegistryGrain.Key).GetGrainId();
        await storage.ReadStateAsync(ClusterRegistryGrain.StateName, registry, state);
        var clusters = state.State?.Clusters ?? [];
        foreach (var (name, definition) in clusters) _known[name] = definition;
        return clusters;
    }
}
