using OrleansNodes.Protocols.KeyValue;
using static OrleansNodes.Protocols.Tests.KeyValue.KeyValueCluster;

namespace OrleansNodes.Protocols.Tests.KeyValue;

/// <summary>
/// What the store writes, and what a replica recovers from it (docs/design-decisions.md §9): a
/// tick writes nothing, a put writes its own entry and the hard state, a snapshot is written only
/// when the log has outgrown the store, and recovery from snapshot plus log gives back the state
/// the replica had, minus what is volatile.
/// </summary>
public class KeyValueDurabilityTests
{
    private static KeyValueCluster ElectedCluster(KeyValueSettings? settings = null)
    {
        var cluster = new KeyValueCluster(3, settings);
        cluster.Elect(0);
        cluster.Run(rounds: 2);
        return cluster;
    }

    [Fact]
    public void Run_IdleClusterWithALeader_WritesNothing()
    {
        var cluster = ElectedCluster();
        var before = cluster.Writes;

        cluster.Run(rounds: 200);

        Assert.Equal(0, cluster.Leader);
        Assert.Equal(before, cluster.Writes);
    }

    [Fact]
    public void Put_ToAFilledStore_EachFlushWritesOnlyItsEntryAndHardState()
    {
        var cluster = ElectedCluster();
        for (var i = 0; i < 200; i++)
        {
            cluster.Request(0, 7, i + 1, new KeyValueCommand.Put($"key{i}", new string('v', 100)));
            cluster.DeliverAll();
        }
        var before = cluster.WriteLog.Count;

        cluster.Request(0, 7, 201, new KeyValueCommand.Put("key0", "w"));
        cluster.DeliverAll();

        var writes = cluster.WriteLog.Skip(before).ToList();
        Assert.All(writes, write => Assert.Null(write.Writes.Snapshot));
        Assert.All(writes, write => Assert.True(write.Writes.Puts.Length <= 1, write.Writes.ToString()));
        // Each replica writes the accepted entry, then the applied index (on the leader, one flush).
        Assert.InRange(writes.Count, 3, 6);
    }

    [Fact]
    public void Put_LogOutgrowsTheStore_WritesASnapshotAndPutsBackTheRetainedEntries()
    {
        var settings = KeyValueSettings.Default with { SnapshotLogBytesMin = 2_000, RetainedEntriesMax = 4 };
        var cluster = ElectedCluster(settings);

        for (var i = 1; i <= 40; i++)
        {
            cluster.Request(0, 7, i, new KeyValueCommand.Put("hot", new string('v', 100)));
            cluster.DeliverAll();
        }

        var snapshots = cluster.WriteLog.Where(w => w.Writes.Snapshot is not null).ToList();
        Assert.NotEmpty(snapshots);
        foreach (var node in new[] { 0, 1, 2 })
        {
            var image = cluster.Durable[node];
            Assert.NotNull(image.Snapshot);
            Assert.True(image.Log.Keys.All(slot => slot > image.Snapshot!.Index - settings.RetainedEntriesMax), string.Join(",", image.Log.Keys));
        }
        // One key: each snapshot is tiny, and one is written per SnapshotLogBytesMin of log, not per put.
        Assert.InRange(snapshots.Count, 3, 3 * 40 / 10);
    }

    [Fact]
    public void Restart_AfterSnapshotAndMorePuts_RecoversTheSameStoreAndPromise()
    {
        var settings = KeyValueSettings.Default with { SnapshotLogBytesMin = 1_000, RetainedEntriesMax = 4 };
        var cluster = ElectedCluster(settings);
        for (var i = 1; i <= 30; i++)
        {
            cluster.Request(0, 7, i, new KeyValueCommand.Append($"k{i % 5}", i.ToString()));
            cluster.DeliverAll();
        }
        var before = cluster[1];
        Assert.True(cluster.Durable[1].Snapshot!.Index < before.Store.AppliedIndex, "the test wants log entries after the snapshot");

        cluster.Crash(1);
        cluster.Restart(1);

        var after = cluster[1];
        Assert.Equal(before.Promised, after.Promised);
        Assert.Equal(before.Store.AppliedIndex, after.Store.AppliedIndex);
        Assert.Equal(before.Store.ContentHash(), after.Store.ContentHash());
        Assert.Equal(before.Store.HistoryDigest, after.Store.HistoryDigest);
        Assert.Equal(before.Store.ExecutedCount, after.Store.ExecutedCount);
        Assert.Equal(KeyValueRole.Follower, after.Role);
        Assert.Null(after.Leader);
    }

    [Fact]
    public void Restart_AcceptedButNotAppliedEntry_KeepsItInTheLog()
    {
        var cluster = ElectedCluster();
        cluster.Drop = e => e.Message is Accepted; // n0 never learns the slot is chosen
        cluster.Request(0, 7, 1, new KeyValueCommand.Put("x", "1"));
        cluster.DeliverAll();
        Assert.Equal(0, cluster[1].Store.AppliedIndex);
        Assert.True(cluster[1].Log.ContainsKey(1));

        cluster.Crash(1);
        cluster.Restart(1);

        Assert.Equal(new KeyValueBatch([new ClientCommand(new ClientId(7), 1, new KeyValueCommand.Put("x", "1"))]), cluster[1].Log[1].Value);
    }

    [Fact]
    public void Recover_LogMissingASlotTheAppliedIndexCovers_Throws()
    {
        var protocol = new KeyValueProtocol();
        var config = NodeConfig<KeyValueSettings>.Cluster(3, KeyValueSettings.Default, 1)[0];
        var image = DurableImage.Initial(new KeyValueHardState(new Ballot(1, N(0)), 3));

        var error = Assert.Throws<InvalidDataException>(() => protocol.Recover(config, image));

        Assert.Contains("misses slot 1", error.Message);
    }

    [Fact]
    public void Recover_Nothing_IsAFreshFollower()
    {
        var protocol = new KeyValueProtocol();
        var config = NodeConfig<KeyValueSettings>.Cluster(3, KeyValueSettings.Default, 1)[0];

        var state = protocol.Recover(config, DurableImage.Empty);

        Assert.Equal(Ballot.Zero, state.Promised);
        Assert.Same(KeyValueStore.Empty, state.Store);
        Assert.Equal(KeyValueRole.Follower, state.Role);
    }
}
