using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.GrainDirectory;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.TestingHost;
using OrleansNodes.Hosting.Nodes;
using OrleansNodes.Hosting.Storage;
using OrleansNodes.Hosting.Tests.Tally;

namespace OrleansNodes.Hosting.Tests.Support;

/// <summary>
/// An in-process silo running the tally protocol on a SQLite file, with observed storage and
/// network. Ticks are fast (20 ms) so tests take seconds, and the keep-alive reminder fires
/// every 2 s so a restart test need not wait a minute.
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    private TestSilo(InProcessTestCluster cluster, string databasePath, HostEvents events, ConcurrentDictionary<string, Func<object?, bool>> failingWrites)
    {
        Cluster = cluster;
        DatabasePath = databasePath;
        Events = events;
        FailingWrites = failingWrites;
    }

    public InProcessTestCluster Cluster { get; }

    public string DatabasePath { get; }

    public HostEvents Events { get; }

    /// <summary>By node key: which writes of that node fail (given the hard state about to be written).</summary>
    public ConcurrentDictionary<string, Func<object?, bool>> FailingWrites { get; }

    /// <summary>The silo's node store: its counters count every write that reached the SQLite file.</summary>
    public NodeStore Store => Cluster.GetSiloServiceProvider().GetRequiredService<NodeStore>();

    public ObservedNetwork Network => (ObservedNetwork)Cluster.GetSiloServiceProvider().GetRequiredService<INodeNetwork>();

    public Clients.NodesClient Nodes => new(Cluster.Client);

    /// <summary>
    /// Starts the silo; with <paramref name="nodeDirectory"/>, node grains keep their entries there
    /// (<see cref="SiloBuilderExtensions.UseNodeDirectory"/>). Requests wait at most
    /// <paramref name="requestTimeoutTicks"/> ticks of 20 ms on a node.
    /// </summary>
    public static async Task<TestSilo> StartAsync(string databasePath, IGrainDirectory? nodeDirectory = null, int requestTimeoutTicks = 25)
    {
        var events = new HostEvents();
        var failing = new ConcurrentDictionary<string, Func<object?, bool>>();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddOrleansNodes(options =>
            {
                options.TickPeriod = TimeSpan.FromMilliseconds(20);
                options.RequestTimeoutTicks = requestTimeoutTicks;
                options.KeepAliveReminderPeriod = TimeSpan.FromSeconds(2);
            });
            silo.AddProtocol(new TallyProtocol(), new TallySettings(Leader: 0), TallyProtocol.Redirect);
            silo.AddProtocol(new OrleansNodes.Protocols.KeyValue.KeyValueProtocol(), OrleansNodes.Protocols.KeyValue.KeyValueSettings.Default);
            // What AddSqliteNodeStorage registers, with the node store wrapped for observation.
            var database = new SqliteDatabase(new SqliteStorageOptions { DatabasePath = databasePath });
            silo.AddNodeStore(services => new ObservedStorage(new SqliteNodeStore(database), services.GetRequiredService<Serializer>(), events, failing));
            silo.Services.AddGrainStorage(NodeHostOptions.StorageName, (services, name) =>
                new SqliteGrainStorage(name, database, services.GetRequiredService<Serializer>(), services.GetRequiredService<IActivatorProvider>()));
            silo.AddReminders();
            silo.Services.AddSingleton<IReminderTable>(new SqliteReminderTable(database));
            silo.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            silo.Services.AddSingleton<INodeNetwork>(services =>
                new ObservedNetwork(new GrainNodeNetwork(services.GetRequiredService<IGrainFactory>(), services.GetRequiredService<NodeRoutes>()), events));
            if (nodeDirectory is not null)
            {
                silo.Services.AddKeyedSingleton("test-nodes", nodeDirectory);
                silo.UseNodeDirectory("test-nodes");
            }
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new TestSilo(cluster, databasePath, events, failing);
    }

    public static string NewDatabasePath() =>
        Path.Combine(Path.GetTempPath(), "orleansnodes-tests", Guid.NewGuid().ToString("N"), "nodes.db");

    public INodeGrain Node(string cluster, int index) => Cluster.Client.GetGrain<INodeGrain>(Hosting.Clusters.NodeKey.Format(cluster, new NodeId(index)));

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
