using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.GrainDirectory;
using OrleansNodes.Hosting.Clusters;
using OrleansNodes.Hosting.Nodes;
using OrleansNodes.Hosting.Tests.Support;
using OrleansNodes.Hosting.Tests.Tally;

namespace OrleansNodes.Hosting.Tests.Nodes;

/// <summary>
/// <see cref="NodeRoutes"/> reaches the silo's cache of node addresses: it leans on how Orleans
/// wires its locator for grains in a directory of their own, so an Orleans upgrade that changes
/// that wiring must fail here, not in a frozen production silo.
/// </summary>
public sealed class NodeRoutesTests : IAsyncLifetime
{
    private readonly CountingDirectory _directory = new();
    private TestSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await TestSilo.StartAsync(TestSilo.NewDatabasePath(), _directory);

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public void Silo_NodesInTheirOwnDirectory_RoutesFindOneLocator()
    {
        Assert.Equal(1, Routes.LocatorCount);
    }

    [Fact]
    public async Task Forget_CachedNode_NextCallLooksItUpInTheDirectory()
    {
        await _silo.Nodes.CreateClusterAsync(new ClusterSpec("routes", "tally", 1, new TallySettings(0)));
        var node = _silo.Node("routes", 0);
        await node.GetStatus();
        var before = _directory.LookupsOf(node.GetGrainId());

        // Cached: calls do not ask the directory.
        for (var i = 0; i < 5; i++) await node.GetStatus();
        Assert.Equal(before, _directory.LookupsOf(node.GetGrainId()));

        Routes.Forget(node.GetGrainId());
        await node.GetStatus();

        Assert.True(_directory.LookupsOf(node.GetGrainId()) > before, "the call after Forget did not look the node up");
    }

    private NodeRoutes Routes => _silo.Cluster.GetSiloServiceProvider().GetRequiredService<NodeRoutes>();

    /// <summary>An in-memory grain directory that counts lookups per grain.</summary>
    private sealed class CountingDirectory : IGrainDirectory
    {
        private readonly ConcurrentDictionary<GrainId, GrainAddress> _entries = new();
        private readonly ConcurrentDictionary<GrainId, int> _lookups = new();

        public int LookupsOf(GrainId grain) => _lookups.GetValueOrDefault(grain);

        public Task<GrainAddress?> Lookup(GrainId grainId)
        {
            _lookups.AddOrUpdate(grainId, 1, (_, n) => n + 1);
            return Task.FromResult(_entries.GetValueOrDefault(grainId));
        }

        public Task<GrainAddress?> Register(GrainAddress address) => Register(address, null);

        public Task<GrainAddress?> Register(GrainAddress address, GrainAddress? previousAddress)
        {
            var result = _entries.AddOrUpdate(
                address.GrainId,
                address,
                (_, existing) => previousAddress is not null && existing.Matches(previousAddress) ? address : existing);
            return Task.FromResult<GrainAddress?>(result);
        }

        public Task Unregister(GrainAddress address)
        {
            if (_entries.TryGetValue(address.GrainId, out var existing) && existing.Matches(address))
                _entries.TryRemove(KeyValuePair.Create(address.GrainId, existing));
            return Task.CompletedTask;
        }

        public Task UnregisterSilos(List<SiloAddress> siloAddresses) => Task.CompletedTask;
    }
}
