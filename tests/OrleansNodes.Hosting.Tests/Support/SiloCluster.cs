using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.TestingHost;
using OrleansNodes.Hosting.Clients;
using OrleansNodes.Hosting.Clusters;
using OrleansNodes.Hosting.Nodes;
using OrleansNodes.Hosting.Protocols;
using OrleansNodes.Hosting.Tests.Tally;
using OrleansNodes.Protocols.KeyValue;

namespace OrleansNodes.Hosting.Tests.Support;

/// <summary>
/// Three in-process silos sharing one SQLite file, running the tally protocol and the
/// replicated key-value store. Each silo opens the file through its own
/// <c>AddSqliteNodeStorage</c> (its own connections and group-commit writer), as separate
/// processes on one machine would; SQLite's file locks serialize their transactions and the
/// ETag makes a write from a dead silo's stale activation fail. Reminders live in the same file,
/// so a surviving silo finds the reminders of a dead one.
/// </summary>
/// <remarks>
/// Orleans' in-memory grain storage is not used: it keeps state in storage grains that live on
/// the silos, so killing a silo would lose node state, which is the very thing these tests check.
/// </remarks>
public sealed class SiloCluster : IAsyncDisposable
{
    private SiloCluster(InProcessTestCluster cluster, string databasePath)
    {
        Cluster = cluster;
        DatabasePath = databasePath;
    }

    public InProcessTestCluster Cluster { get; }

    public string DatabasePath { get; }

    public NodesClient Nodes => new(Cluster.Client);

    public static async Task<SiloCluster> StartAsync(int silos = 3)
    {
        var path = TestSilo.NewDatabasePath();
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddOrleansNodes(options =>
            {
                options.TickPeriod = TimeSpan.FromMilliseconds(20);
                options.RequestTimeoutTicks = 50;
                options.KeepAliveReminderPeriod = TimeSpan.FromSeconds(2);
            });
            silo.AddProtocol(new TallyProtocol(), new TallySettings(Leader: 0), TallyProtocol.Redirect);
            silo.AddProtocol(new KeyValueProtocol(), KeyValueSettings.Default);
            silo.AddSqliteNodeStorage(storage => storage.DatabasePath = path);
            silo.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            // A killed silo is declared dead after a few missed probes of a second each, not
            // the production default of tens of seconds; until then its grains cannot move.
            silo.Configure<ClusterMembershipOptions>(options =>
            {
                options.ProbeTimeout = TimeSpan.FromSeconds(1);
                options.NumMissedProbesLimit = 2;
                options.NumVotesForDeathDeclaration = 1;
            });
        });
        var cluster = builder.Build();
        await cluster.DeployAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return new SiloCluster(cluster, path);
    }

    public INodeGrain Node(string cluster, int index) => Cluster.Client.GetGrain<INodeGrain>(NodeKey.Format(cluster, new NodeId(index)));

    /// <summary>
    /// The live silo hosting the node's activation, or null when none does. Read from the silos'
    /// catalogs in this process rather than asked of the cluster: it activates nothing and cannot
    /// wait on a directory that is still moving the grain.
    /// </summary>
    public Task<SiloAddress?> SiloOf(string cluster, int index)
    {
        var live = Cluster.Silos.Select(s => s.SiloAddress).ToHashSet();
        var at = Cluster.TryGetGrainContext(Node(cluster, index).GetGrainId(), out var context) ? context.Address.SiloAddress : null;
        return Task.FromResult(at is not null && live.Contains(at) ? at : null);
    }

    /// <summary>Moves the node's activation to <paramref name="silo"/> (it re-reads its state there) and waits until it runs there.</summary>
    public async Task MoveAsync(string cluster, int index, InProcessSiloHandle silo)
    {
        await Eventually.Reaches(
            async () =>
            {
                var at = await SiloOf(cluster, index);
                // The test cluster's migration waits for the old activation to go away, which a
                // busy node may postpone; a bounded attempt is simply made again.
                if (at != silo.SiloAddress)
                {
                    try
                    {
                        await Cluster.MigrateAsync(Node(cluster, index), silo.SiloAddress).WaitAsync(TimeSpan.FromSeconds(3));
                    }
                    catch (TimeoutException)
                    {
                    }
                }
                return await SiloOf(cluster, index);
            },
            at => at == silo.SiloAddress,
            $"{cluster}/{index} runs on {silo.SiloAddress}");
        await Eventually.Reaches(() => Node(cluster, index).GetStatus(), s => s.Running, $"{cluster}/{index} runs again");
    }

    /// <summary>The node's stored version (its write count), read from the file directly.</summary>
    public Task<long> StoredVersionAsync(string cluster, int index) => StorageTestKit.StoredVersionAsync(DatabasePath, NodeKey.Format(cluster, new NodeId(index)));

    public async ValueTask DisposeAsync()
    {
        // Bounded like every other wait: a silo that cannot stop fails the test instead of hanging it.
        await Cluster.StopAllSilosAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await Cluster.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }
}

/// <summary>
/// The multi-silo tests run one at a time: each starts three silos, and two such clusters at once
/// on a small machine only measure the machine.
/// </summary>
[CollectionDefinition("silos")]
public sealed class SilosCollection;
