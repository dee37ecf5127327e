using System.Text;
using OrleansNodes.Hosting.Storage;
using OrleansNodes.Storage.Redis;
using OrleansNodes.TestServers;
using StackExchange.Redis;

namespace OrleansNodes.Storage.Tests.Redis;

/// <summary>
/// What the conformance suite cannot see from outside the store: how a staged snapshot is
/// committed or left to expire, where a node's keys live, the log's byte-ordered members, and
/// what a read makes of damaged keys.
/// </summary>
public sealed class RedisNodeStoreTests(RedisStoreFixture redis) : IClassFixture<RedisStoreFixture>
{
    private static readonly TimeSpan WaitBound = TimeSpan.FromSeconds(30);

    [RedisFact]
    public async Task Write_StagedSnapshotLosesAChunkBeforeCommit_RefusedAndNodeUnchanged()
    {
        var store = await redis.StoreAsync();
        var key = NewKey();
        await CreateWithOneEntryAsync(store, key);
        store.OnWritePoint = point =>
        {
            // Another client (or an eviction) takes a chunk between the last batch and the commit.
            if (point == RedisNodeStore.SnapshotStagedPoint) Database.ListRightPop(redis.StagedKeys(key).Single());
        };

        var refused = await Assert.ThrowsAsync<NodeStoreException>(() => store.WriteAsync(key, Write(2, "after", snapshot: (9, LargeChunks(32)))));
        store.OnWritePoint = null;

        Assert.Contains("31 of its 32 chunks", refused.Message);
        AssertHasOneEntryAndNoSnapshot(await store.ReadAsync(key));
        Assert.Empty(redis.StagedKeys(key));
        await store.WriteAsync(key, Write(2, "next", puts: [(2, "b")]));
        Assert.Equal(3, (await store.ReadAsync(key))!.Version);
    }

    [RedisFact]
    public async Task Write_CrashBetweenStagingAndCommit_StagedListHasAnExpiryAndNodeUnchanged()
    {
        var store = await redis.StoreAsync();
        var key = NewKey();
        await CreateWithOneEntryAsync(store, key);
        store.OnWritePoint = point => { if (point == RedisNodeStore.SnapshotStagedPoint) throw new SimulatedCrash(); };

        await Assert.ThrowsAsync<SimulatedCrash>(() => store.WriteAsync(key, Write(2, "after", snapshot: (9, LargeChunks(32)))));

        var staged = Assert.Single(redis.StagedKeys(key));
        Assert.Equal(32, await Database.ListLengthAsync(staged));
        var expiry = await Database.KeyTimeToLiveAsync(staged);
        Assert.NotNull(expiry);
        Assert.InRange(expiry.Value, TimeSpan.FromTicks(1), store.StagedSnapshotExpiry);
        AssertHasOneEntryAndNoSnapshot(await store.ReadAsync(key));
    }

    [RedisFact]
    public async Task Write_CrashBetweenStagingAndCommit_StagedListExpires()
    {
        var store = new RedisNodeStore(redis.Connect, redis.Prefix) { StagedSnapshotExpiry = TimeSpan.FromSeconds(2) };
        var key = NewKey();
        await CreateWithOneEntryAsync(store, key);
        var stagedAtCrash = 0;
        store.OnWritePoint = point =>
        {
            if (point != RedisNodeStore.SnapshotStagedPoint) return;
            stagedAtCrash = redis.StagedKeys(key).Count;
            throw new SimulatedCrash();
        };

        await Assert.ThrowsAsync<SimulatedCrash>(() => store.WriteAsync(key, Write(2, "after", snapshot: (9, LargeChunks(32)))));

        Assert.Equal(1, stagedAtCrash);
        await WaitUntilAsync(() => redis.StagedKeys(key).Count == 0, "the staged snapshot list expires");
        AssertHasOneEntryAndNoSnapshot(await store.ReadAsync(key));
    }

    [RedisFact]
    public async Task Write_StaleWriterWithALargeSnapshot_LeavesNoStagedList()
    {
        var store = await redis.StoreAsync();
        var key = NewKey();
        await CreateWithOneEntryAsync(store, key);

        await Assert.ThrowsAsync<StaleWriteException>(() => store.WriteAsync(key, Write(1, "stale", snapshot: (9, LargeChunks(32)))));

        // Every batch checks the version before it pushes, so a stale writer's list never exists.
        Assert.Empty(redis.StagedKeys(key));
    }

    [RedisFact]
    public async Task Write_StagedListGrowsBehindTheWritersBack_RefusedAndNodeUnchanged()
    {
        // Each batch checks the list holds exactly the chunks staged before it, so a list that is
        // longer (or whose batches landed out of order) is never committed whatever its length.
        var store = await redis.StoreAsync();
        var key = NewKey();
        await CreateWithOneEntryAsync(store, key);
        var pushed = false;
        store.OnWritePoint = point =>
        {
            if (point != RedisNodeStore.SnapshotBatchStagedPoint || pushed) return;
            pushed = true;
            Database.ListRightPush(WaitForStagedKey(key), "intruder");
        };

        var refused = await Assert.ThrowsAsync<NodeStoreException>(() => store.WriteAsync(key, Write(2, "after", snapshot: (9, LargeChunks(32)))));
        store.OnWritePoint = null;

        Assert.Contains("expected the ones staged before it", refused.Message);
        AssertHasOneEntryAndNoSnapshot(await store.ReadAsync(key));
        await store.WriteAsync(key, Write(2, "next", puts: [(2, "b")]));
    }

    [RedisFact]
    public async Task Write_CreateWithALargeSnapshot_Committed()
    {
        var store = await redis.StoreAsync();
        var key = NewKey();
        var create = new NodeWrite(0, Bytes("definition"), Bytes("h0"), new SnapshotWrite(7, LargeChunks(32).Select(Bytes)), null, null, [new(8, Bytes("e"))]);

        await store.WriteAsync(key, create);

        var read = await store.ReadAsync(key);
        Assert.Equal(1, read!.Version);
        Assert.Equal(7, read.Snapshot!.Index);
        Assert.True(read.Snapshot.Chunks.Select(Text).SequenceEqual(LargeChunks(32)));
        Assert.Equal([8L], read.Log.Select(entry => entry.Index));
    }

    [RedisFact]
    public async Task Read_AFlushLandsBetweenPages_ReadStartsAgainAndSeesOnlyTheNewVersion()
    {
        var writer = await redis.StoreAsync();
        var key = NewKey();
        await writer.WriteAsync(key, Create("h0"));
        await writer.WriteAsync(key, Write(1, "h1", puts: Enumerable.Range(1, 6).Select(i => ((long)i, $"old{i}"))));
        var reader = new RedisNodeStore(redis.Connect, redis.Prefix) { ReadPageEntries = 2 };
        var pages = 0;
        reader.OnReadPage = () =>
        {
            // After the second page of the first attempt, another activation rewrites every entry.
            if (++pages == 1)
                writer.WriteAsync(key, Write(2, "h2", truncateFrom: 1, puts: Enumerable.Range(1, 6).Select(i => ((long)i, $"new{i}")))).GetAwaiter().GetResult();
        };

        var read = await reader.ReadAsync(key);

        Assert.True(pages > 2, $"{pages} pages: the read did not start again"); // 2 pages after the first, twice
        Assert.Equal(3, read!.Version);
        Assert.Equal("h2", Text(read.Hard));
        Assert.Equal(Enumerable.Range(1, 6).Select(i => $"new{i}"), read.Log.Select(entry => Text(entry.Payload)));
    }

    [RedisFact]
    public async Task Write_SnapshotUpToTheInlineLimit_OneScriptAndNoWritePoint()
    {
        var store = new RedisNodeStore(redis.Connect, redis.Prefix) { InlineSnapshotBytesMax = 1000 };
        var key = NewKey();
        await store.WriteAsync(key, Create("h0"));
        var reached = new List<string>();
        store.OnWritePoint = reached.Add;

        await store.WriteAsync(key, Write(1, snapshot: (3, [new string('a', 600), new string('b', 400)])));

        Assert.Empty(reached);
        Assert.Empty(redis.StagedKeys(key));
        Assert.Equal([600, 400], (await store.ReadAsync(key))!.Snapshot!.Chunks.Select(chunk => chunk.Length));
    }

    [RedisFact]
    public async Task Write_SnapshotPastTheInlineLimit_StagedInBatchesThenCommitted()
    {
        var store = new RedisNodeStore(redis.Connect, redis.Prefix) { InlineSnapshotBytesMax = 1000, StageBatchBytesMax = 500 };
        var key = NewKey();
        await store.WriteAsync(key, Create("h0"));
        var reached = new List<string>();
        store.OnWritePoint = reached.Add;

        await store.WriteAsync(key, Write(1, snapshot: (3, [new string('a', 600), new string('b', 401), new string('c', 10)])));

        // Two batches: 600 alone, then 401 and 10 (411 bytes): one point between them, one before the commit.
        Assert.Equal([RedisNodeStore.SnapshotBatchStagedPoint, RedisNodeStore.SnapshotStagedPoint], reached);
        Assert.Empty(redis.StagedKeys(key));
        var read = await store.ReadAsync(key);
        Assert.Equal([600, 401, 10], read!.Snapshot!.Chunks.Select(chunk => chunk.Length));
        Assert.Null(await Database.KeyTimeToLiveAsync(redis.Keys(key).Snapshot));
    }

    [RedisFact]
    public async Task Write_LargeSnapshot_ChunksEnumeratedOnce()
    {
        var store = await redis.StoreAsync();
        var key = NewKey();
        await store.WriteAsync(key, Create("h0"));
        var chunks = new OnceOnly(LargeChunks(32).Select(Encoding.UTF8.GetBytes));

        await store.WriteAsync(key, new NodeWrite(1, null, null, new SnapshotWrite(4, chunks), null, null, []));

        Assert.Equal(1, chunks.Enumerations);
        Assert.Equal(32, (await store.ReadAsync(key))!.Snapshot!.Chunks.Count);
    }

    [RedisFact]
    public async Task Write_InlineAndStaged_ReturnsThePayloadBytes()
    {
        var store = new RedisNodeStore(redis.Connect, redis.Prefix) { InlineSnapshotBytesMax = 1000 };
        var key = NewKey();

        var created = await store.WriteAsync(key, Create("h0"));
        var inline = await store.WriteAsync(key, Write(1, "hard", puts: [(1, "abc")], snapshot: (1, ["0123456789"])));
        var staged = await store.WriteAsync(key, Write(2, snapshot: (2, [new string('x', 900), new string('y', 900)])));

        Assert.Equal("definition".Length + "h0".Length, created);
        Assert.Equal("hard".Length + "abc".Length + 10, inline);
        Assert.Equal(1800, staged);
        Assert.Equal(created + inline + staged, store.BytesWritten);
    }

    [RedisFact]
    public async Task Keys_OfOneNode_ShareTheHashSlotOfTheNodeKey()
    {
        var store = await redis.StoreAsync();
        var multiplexer = await redis.MultiplexerAsync();
        foreach (var key in new[] { NewKey(), "kv/0", "odd}key/1", "{braced}/2" })
        {
            var node = $"{key}-{Guid.NewGuid():N}";
            await store.WriteAsync(node, Create("h0"));
            await store.WriteAsync(node, Write(1, puts: [(1, "a")], snapshot: (1, ["s"])));
            store.OnWritePoint = point => { if (point == RedisNodeStore.SnapshotStagedPoint) throw new SimulatedCrash(); };
            await Assert.ThrowsAsync<SimulatedCrash>(() => store.WriteAsync(node, Write(2, snapshot: (2, LargeChunks(32)))));
            store.OnWritePoint = null;

            var keys = redis.Keys(node);
            RedisKey[] all = [keys.Meta, keys.Log, keys.Snapshot, Assert.Single(redis.StagedKeys(node))];
            foreach (var written in all) Assert.True(await Database.KeyExistsAsync(written), $"{written} was not written");
            Assert.Single(all.Select(multiplexer.HashSlot).Distinct());
            if (!node.Contains('{') && !node.Contains('}'))
                Assert.Equal(multiplexer.HashSlot(node), multiplexer.HashSlot(keys.Meta)); // the tag is the node key
        }
    }

    [RedisFact]
    public async Task Write_IndexesAcrossTheWholeLongRange_OrderedAndRangesExact()
    {
        // Above 2^53 doubles skip integers, so an index-scored set would merge 2^53 and 2^53 + 1.
        var store = await redis.StoreAsync();
        var key = NewKey();
        const long TwoToThe53 = 1L << 53;
        long[] indexes = [long.MinValue, -1, 0, 1, TwoToThe53, TwoToThe53 + 1, long.MaxValue];
        await store.WriteAsync(key, Create("h0"));

        await store.WriteAsync(key, Write(1, puts: indexes.Select(index => (index, $"e{index}"))));
        Assert.Equal(indexes, (await store.ReadAsync(key))!.Log.Select(entry => entry.Index));

        await store.WriteAsync(key, Write(2, truncateFrom: TwoToThe53 + 1, compactThrough: -1, puts: [(TwoToThe53, "replaced")]));
        var read = await store.ReadAsync(key);
        Assert.Equal([(0L, "e0"), (1L, "e1"), (TwoToThe53, "replaced")], read!.Log.Select(entry => (entry.Index, Text(entry.Payload))));
    }

    [RedisFact]
    public async Task Read_MoreThanOnePage_SameAsOnePage()
    {
        var paged = new RedisNodeStore(redis.Connect, redis.Prefix) { ReadPageChunks = 2, ReadPageEntries = 3 };
        var whole = await redis.StoreAsync();
        var key = NewKey();
        await whole.WriteAsync(key, Create("h0"));
        await whole.WriteAsync(key, Write(1, "h1", puts: Enumerable.Range(1, 10).Select(i => ((long)i, $"e{i}")),
            snapshot: (0, ["s0", "s1", "s2", "s3", "s4"])));

        var read = await paged.ReadAsync(key);
        var expected = await whole.ReadAsync(key);

        Assert.Equal(["s0", "s1", "s2", "s3", "s4"], read!.Snapshot!.Chunks.Select(Text));
        Assert.Equal(expected!.Log.Select(entry => (entry.Index, Text(entry.Payload))), read.Log.Select(entry => (entry.Index, Text(entry.Payload))));
        Assert.Equal(10, read.Log.Count);
    }

    [RedisFact]
    public async Task Read_LogMemberShorterThanAnIndex_InvalidDataNamingTheLog()
    {
        var (store, key) = await NodeWithSnapshotAsync();
        var log = redis.Keys(key).Log;
        await Database.SortedSetAddAsync(log, "short", 0);

        var damaged = await Assert.ThrowsAsync<InvalidDataException>(() => store.ReadAsync(key));

        Assert.Contains((string)log!, damaged.Message);
        Assert.Contains("shorter than the 8-byte index", damaged.Message);
    }

    [RedisFact]
    public async Task Read_SnapshotListMissing_InvalidDataNamingTheSnapshot()
    {
        var (store, key) = await NodeWithSnapshotAsync();
        var snapshot = redis.Keys(key).Snapshot;
        await Database.KeyDeleteAsync(snapshot);

        var damaged = await Assert.ThrowsAsync<InvalidDataException>(() => store.ReadAsync(key));

        Assert.StartsWith((string)snapshot!, damaged.Message);
        Assert.Contains("is missing", damaged.Message);
    }

    [RedisFact]
    public async Task Read_SnapshotListShort_InvalidDataNamingTheSnapshot()
    {
        var (store, key) = await NodeWithSnapshotAsync();
        var snapshot = redis.Keys(key).Snapshot;
        await Database.ListRightPopAsync(snapshot);

        var damaged = await Assert.ThrowsAsync<InvalidDataException>(() => store.ReadAsync(key));

        Assert.StartsWith((string)snapshot!, damaged.Message);
        Assert.Contains("holds 1 chunks", damaged.Message);
    }

    [RedisTheory]
    [InlineData("version", "seven", "not a number")]
    [InlineData("format", "2", "format '2'")]
    [InlineData("snapshot_chunks", "-3", "both be set")]
    public async Task Read_MetaFieldDamaged_InvalidDataNamingTheMeta(string field, string value, string says)
    {
        var (store, key) = await NodeWithSnapshotAsync();
        var meta = redis.Keys(key).Meta;
        await Database.HashSetAsync(meta, field, value);

        var damaged = await Assert.ThrowsAsync<InvalidDataException>(() => store.ReadAsync(key));

        Assert.StartsWith((string)meta!, damaged.Message);
        Assert.Contains(says, damaged.Message);
        Assert.DoesNotContain('\n', damaged.Message);
    }

    [RedisFact]
    public async Task Read_LogOfTheWrongType_InvalidDataNamingTheLog()
    {
        var (store, key) = await NodeWithSnapshotAsync();
        var log = redis.Keys(key).Log;
        await Database.StringSetAsync(log, "not a sorted set");

        var damaged = await Assert.ThrowsAsync<InvalidDataException>(() => store.ReadAsync(key));

        Assert.StartsWith((string)log!, damaged.Message);
    }

    [RedisFact]
    public async Task Write_LogOfTheWrongType_InvalidDataAndNothingChanges()
    {
        var (store, key) = await NodeWithSnapshotAsync();
        var keys = redis.Keys(key);
        await Database.StringSetAsync(keys.Log, "not a sorted set");

        var damaged = await Assert.ThrowsAsync<InvalidDataException>(() => store.WriteAsync(key, Write(2, "changed", puts: [(5, "e")])));

        Assert.StartsWith((string)keys.Log!, damaged.Message);
        Assert.Equal("2", (string?)await Database.HashGetAsync(keys.Meta, "version"));
        Assert.Equal("h1", (string?)await Database.HashGetAsync(keys.Meta, "hard"));
    }

    [RedisFact]
    public async Task Write_CreateOverALeftoverLog_StartsClean()
    {
        // A meta hash deleted by hand leaves the node absent; creating it again must not revive its log.
        var (store, key) = await NodeWithSnapshotAsync();
        await Database.KeyDeleteAsync(redis.Keys(key).Meta);
        Assert.Null(await store.ReadAsync(key));

        await store.WriteAsync(key, Create("again"));

        var read = await store.ReadAsync(key);
        Assert.Equal(1, read!.Version);
        Assert.Empty(read.Log);
        Assert.Null(read.Snapshot);
    }

    private IDatabase Database => redis.Database;

    private static string NewKey() => $"redis-{Guid.NewGuid():N}/0";

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    private static NodeWrite Create(string hard) => new(0, Bytes("definition"), Bytes(hard), null, null, null, []);

    private static NodeWrite Write(long expected, string? hard = null, IEnumerable<(long, string)>? puts = null,
        long? truncateFrom = null, long? compactThrough = null, (long Index, IEnumerable<string> Chunks)? snapshot = null) =>
        new(expected, null, hard is null ? null : Bytes(hard),
            snapshot is { } s ? new SnapshotWrite(s.Index, s.Chunks.Select(Bytes)) : null,
            truncateFrom, compactThrough,
            [.. (puts ?? []).OrderBy(p => p.Item1).Select(p => new StoredEntry(p.Item1, Bytes(p.Item2)))]);

    // 32 chunks of 64 KiB: 2 MiB, past the default inline limit and in several staging batches.
    private static List<string> LargeChunks(int count) =>
        [.. Enumerable.Range(0, count).Select(i => i.ToString("D4") + new string('z', 64 * 1024))];

    private static async Task CreateWithOneEntryAsync(NodeStore store, string key)
    {
        await store.WriteAsync(key, Create("h0"));
        await store.WriteAsync(key, Write(1, "before", puts: [(1, "a")]));
    }

    private static void AssertHasOneEntryAndNoSnapshot(StoredNode? read)
    {
        Assert.NotNull(read);
        Assert.Equal(2, read.Version);
        Assert.Equal("before", Text(read.Hard));
        Assert.Null(read.Snapshot);
        Assert.Equal([(1L, "a")], read.Log.Select(entry => (entry.Index, Text(entry.Payload))));
    }

    // Version 2, hard state h1, a snapshot of two chunks and two entries.
    private async Task<(RedisNodeStore Store, string Key)> NodeWithSnapshotAsync()
    {
        var store = await redis.StoreAsync();
        var key = NewKey();
        await store.WriteAsync(key, Create("h0"));
        await store.WriteAsync(key, Write(1, "h1", puts: [(3, "c"), (4, "d")], snapshot: (2, ["s0", "s1"])));
        return (store, key);
    }

    // Batches are pipelined: the first may still be on its way when the hook runs.
    private RedisKey WaitForStagedKey(string key)
    {
        var deadline = DateTime.UtcNow + WaitBound;
        while (true)
        {
            if (redis.StagedKeys(key) is [var staged]) return staged;
            if (DateTime.UtcNow > deadline) Assert.Fail($"waited {WaitBound.TotalSeconds:0} s for the staged list of {key}");
            Thread.Sleep(10);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + WaitBound;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"waited {WaitBound.TotalSeconds:0} s for: {what}");
            await Task.Delay(50);
        }
    }

    private sealed class SimulatedCrash() : Exception("simulated crash");

    // A sequence that counts how often it is enumerated.
    private sealed class OnceOnly(IEnumerable<byte[]> items) : IEnumerable<byte[]>
    {
        public int Enumerations { get; private set; }

        public IEnumerator<byte[]> GetEnumerator()
        {
            Enumerations++;
            return items.GetEnumerator();
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
