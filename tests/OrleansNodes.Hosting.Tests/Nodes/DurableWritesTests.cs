using OrleansNodes.Hosting.Clients;
using OrleansNodes.Hosting.Clusters;
using OrleansNodes.Hosting.Tests.Support;
using OrleansNodes.Protocols.KeyValue;

namespace OrleansNodes.Hosting.Tests.Nodes;

/// <summary>
/// What the node loop writes on a live silo, counted by the storage layer (every write that
/// reached the SQLite file, per node), never timed: a quiet key-value cluster writes nothing, and
/// a put writes its entry. Other tests' clusters share the silo, so counts are per node.
/// </summary>
[Collection("host")]
public sealed class DurableWritesTests(HostFixture fixture)
{
    private TestSilo Silo => fixture.Silo;

    [Fact]
    public async Task Tick_QuietKeyValueClusterWithALeader_WritesNothing()
    {
        await Silo.Nodes.CreateClusterAsync(new ClusterSpec("quiet", "kv", 3, null));
        var session = Silo.Nodes.OpenSession("quiet");
        Assert.IsType<RequestOutcome.Replied>(await session.SubmitAsync(new KeyValueCommand.Put("k", "v")));
        // Settled: a leader, every replica applied the put, and the leader heard from both.
        await Eventually.Reaches(
            () => Silo.Nodes.StatusAsync("quiet"),
            s => s.Nodes.Count(n => n.Description.StartsWith("Leader ", StringComparison.Ordinal)) == 1 &&
                 s.Nodes.All(n => n.Description.Contains(" applied=1 ", StringComparison.Ordinal)),
            "one leader and every replica applied the put");
        // Quiet means the versions stayed put over ten ticks (a cluster that never stops writing fails below).
        var before = await SettledAsync("quiet");
        var writes = StoredWrites("quiet");

        // A hundred ticks per node: elections timers, heartbeats and their acknowledgements.
        var after = await Eventually.Reaches(
            () => Silo.Nodes.StatusAsync("quiet"),
            s => s.Nodes.Zip(before.Nodes).All(pair => pair.First.Ticks >= pair.Second.Ticks + 100),
            "a hundred more ticks on every node");

        Assert.All(after.Nodes.Zip(before.Nodes), pair => Assert.Equal(pair.Second.PersistedVersion, pair.First.PersistedVersion));
        Assert.Equal(writes, StoredWrites("quiet"));
    }

    [Fact]
    public async Task Put_ToAKeyValueCluster_EachReplicaWritesTheEntryAndItsAppliedIndex()
    {
        await Silo.Nodes.CreateClusterAsync(new ClusterSpec("oneput", "kv", 3, null));
        var session = Silo.Nodes.OpenSession("oneput");
        Assert.IsType<RequestOutcome.Replied>(await session.SubmitAsync(new KeyValueCommand.Put("warm", "up")));
        await Eventually.Reaches(
            () => Silo.Nodes.StatusAsync("oneput"),
            s => s.Nodes.All(n => n.Description.Contains(" applied=1 ", StringComparison.Ordinal)),
            "every replica applied the first put");
        var settled = await SettledAsync("oneput");

        Assert.IsType<RequestOutcome.Replied>(await session.SubmitAsync(new KeyValueCommand.Put("k", new string('v', 1000))));
        await Eventually.Reaches(
            () => Silo.Nodes.StatusAsync("oneput"),
            s => s.Nodes.All(n => n.Description.Contains(" applied=2 ", StringComparison.Ordinal)),
            "every replica applied the second put");
        var after = await SettledAsync("oneput");

        foreach (var (now, then) in after.Nodes.Zip(settled.Nodes))
        {
            // The accepted entry, and the applied index: at most two writes, about the put's size.
            Assert.InRange(now.StorageWrites - then.StorageWrites, 1, 2);
            Assert.Equal(now.StorageWrites - then.StorageWrites, now.PersistedVersion - then.PersistedVersion);
            Assert.InRange(now.StorageBytes - then.StorageBytes, 1000, 1500);
            Assert.Equal(then.LogLength + 1, now.LogLength);
        }
    }

    /// <summary>
    /// The cluster's status once no write is in flight: the status shows a put applied as soon as
    /// it is stepped, and its write may still be on its way. Settled means the versions stayed
    /// put over ten ticks; after twenty tries, the last status (a cluster that never stops writing
    /// then fails the caller's assertions).
    /// </summary>
    private async Task<ClusterStatus> SettledAsync(string cluster)
    {
        var before = await Silo.Nodes.StatusAsync(cluster);
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var later = await Eventually.Reaches(
                () => Silo.Nodes.StatusAsync(cluster),
                s => s.Nodes.Zip(before.Nodes).All(pair => pair.First.Ticks >= pair.Second.Ticks + 10),
                "ten more ticks on every node");
            var settled = later.Nodes.Zip(before.Nodes).All(pair => pair.First.PersistedVersion == pair.Second.PersistedVersion);
            before = later;
            if (settled) break;
        }
        return before;
    }

    private int StoredWrites(string cluster) =>
        Enumerable.Range(0, 3).Sum(i => Silo.Events.Of(NodeKey.Format(cluster, new NodeId(i))).Count(e => e.Kind == HostEventKind.WriteSucceeded));
}
