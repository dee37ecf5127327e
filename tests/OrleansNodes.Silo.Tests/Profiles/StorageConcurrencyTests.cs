using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;
using OrleansNodes.TestServers;
using StackExchange.Redis;

namespace OrleansNodes.Silo.Tests.Profiles;

/// <summary>
/// The guarantee the node loop leans on, checked on the redis and azure profiles' own providers
/// against real servers: Orleans may briefly run two activations of one node, and the one whose
/// ETag is stale must fail its write (InconsistentStateException), so it stops without sending
/// (docs/DESIGN.md, the node loop).
/// </summary>
public sealed class StorageConcurrencyTests
{
    private const string StorageName = "nodes";
    private static readonly GrainId Node = GrainId.Create("node", "kv/0");

    // Each test starts its own server, so a machine with only one of them runs the other's test.
    [RedisFact]
    public async Task Redis_StaleActivationWrites_RejectedAndFirstWriteKept()
    {
        var redis = new RedisServer();
        await redis.InitializeAsync();
        try
        {
            await StaleActivationWrites_RejectedAndFirstWriteKept(services => services.AddRedisGrainStorage(StorageName, builder => builder.Configure<Serializer>((options, serializer) =>
            {
                options.ConfigurationOptions = ConfigurationOptions.Parse(redis.ConnectionString);
                options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            })));
        }
        finally
        {
            await redis.DisposeAsync();
        }
    }

    [AzuriteFact]
    public async Task Azure_StaleActivationWrites_RejectedAndFirstWriteKept()
    {
        var azurite = new AzuriteServer();
        await azurite.InitializeAsync();
        try
        {
            await StaleActivationWrites_RejectedAndFirstWriteKept(services => services.AddAzureBlobGrainStorage(StorageName, builder => builder.Configure<Serializer>((options, serializer) =>
            {
                options.BlobServiceClient = new Azure.Storage.Blobs.BlobServiceClient(azurite.ConnectionString);
                options.ContainerName = UniqueId();
                options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            })));
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    private static async Task StaleActivationWrites_RejectedAndFirstWriteKept(Action<IServiceCollection> addStorage)
    {
        await using var services = Services(addStorage);
        var lifecycle = new StartStopLifecycle();
        var storage = services.GetRequiredKeyedService<IGrainStorage>(StorageName);
        ((ILifecycleParticipant<ISiloLifecycle>)storage).Participate(lifecycle);
        await lifecycle.StartAsync();

        // Activation A creates the node's record; B activated before that and read nothing.
        var a = new GrainState<string>("a1");
        await storage.WriteStateAsync("node", Node, a);
        var b = new GrainState<string>("b1");
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("node", Node, b));

        // B reads A's record; A writes again; B's write on the ETag it read is now stale.
        await storage.ReadStateAsync("node", Node, b);
        Assert.Equal("a1", b.State);
        a.State = "a2";
        await storage.WriteStateAsync("node", Node, a);
        b.State = "b2";
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("node", Node, b));

        var stored = new GrainState<string>();
        await storage.ReadStateAsync("node", Node, stored);
        Assert.Equal("a2", stored.State);
        Assert.Equal(a.ETag, stored.ETag);
        await lifecycle.StopAsync();
    }

    private static ServiceProvider Services(Action<IServiceCollection> addStorage)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSerializer();
        // The silo's default; the Redis provider asks for one even when its options name another.
        services.AddSingleton<IGrainStorageSerializer>(provider => new OrleansGrainStorageSerializer(provider.GetRequiredService<Serializer>()));
        services.Configure<ClusterOptions>(cluster => cluster.ServiceId = cluster.ClusterId = UniqueId());
        // As the silo's profiles do: node state in the Orleans serializer's format.
        addStorage(services);
        return services.BuildServiceProvider();
    }

    private static string UniqueId() => $"t{Guid.NewGuid():N}"[..12];

    /// <summary>Runs a provider's initialization (connecting, creating the container) and shutdown as a silo would.</summary>
    private sealed class StartStopLifecycle : ISiloLifecycle
    {
        private readonly List<(int Stage, ILifecycleObserver Observer)> _observers = [];

        public int HighestCompletedStage { get; private set; }

        public int LowestStoppedStage => int.MaxValue;

        public IDisposable Subscribe(string observerName, int stage, ILifecycleObserver observer)
        {
            _observers.Add((stage, observer));
            return new NoOp();
        }

        public async Task StartAsync()
        {
            foreach (var (stage, observer) in _observers.OrderBy(o => o.Stage))
            {
                await observer.OnStart(CancellationToken.None);
                HighestCompletedStage = stage;
            }
        }

        public async Task StopAsync()
        {
            foreach (var (_, observer) in _observers.OrderByDescending(o => o.Stage)) await observer.OnStop(CancellationToken.None);
        }

        private sealed class NoOp : IDisposable
        {
            public void Dispose()
            {
            }
        }
    }
}
