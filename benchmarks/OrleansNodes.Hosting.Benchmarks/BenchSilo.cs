using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;
using OrleansNodes.Hosting.Protocols;
using OrleansNodes.Protocols.KeyValue;

namespace OrleansNodes.Hosting.Benchmarks;

/// <summary>
/// One in-process silo with the key-value protocol and the benchmark grains. Load is generated
/// through the silo's own grain factory, not through a gateway client, so the figures measure
/// grains and storage rather than a loopback socket.
/// </summary>
public sealed class BenchSilo : IAsyncDisposable
{
    private readonly InProcessTestCluster _cluster;
    private readonly string? _folder;

    private BenchSilo(InProcessTestCluster cluster, string? folder)
    {
        _cluster = cluster;
        _folder = folder;
        Grains = cluster.GetSiloServiceProvider().GetRequiredService<IGrainFactory>();
    }

    /// <summary>The silo's grain factory.</summary>
    public IGrainFactory Grains { get; }

    /// <summary>Starts a silo whose grain state lives in <paramref name="profile"/>.</summary>
    public static async Task<BenchSilo> StartAsync(StorageProfile profile, TimeSpan tickPeriod)
    {
        var folder = profile == StorageProfile.Sqlite ? Path.Combine(Path.GetTempPath(), "orleansnodes-bench", Guid.NewGuid().ToString("N")) : null;
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureHost(host => host.Logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddOrleansNodes(options => options.TickPeriod = tickPeriod);
            silo.AddProtocol(new KeyValueProtocol(), KeyValueSettings.Default);
            if (folder is null)
            {
                // Nodes in memory; the registry's grain state with Orleans' binary serializer, as the
                // SQLite store uses: the memory provider's default is JSON.
                silo.AddNodeStore(_ => new MemoryNodeStore());
                silo.AddMemoryGrainStorage(NodeHostOptions.StorageName, (OptionsBuilder<MemoryGrainStorageOptions> options) =>
                    options.Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer)));
                silo.UseInMemoryReminderService();
            }
            else
            {
                silo.AddSqliteNodeStorage(storage => storage.DatabasePath = Path.Combine(folder, "nodes.db"));
            }
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new BenchSilo(cluster, folder);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_folder is not null) Directory.Delete(_folder, recursive: true);
    }
}
