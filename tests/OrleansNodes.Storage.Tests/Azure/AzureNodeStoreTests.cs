using OrleansNodes.Storage.Tests.Conformance;
using System.Text;
using Azure.Storage.Blobs.Specialized;
using OrleansNodes.Hosting.Storage;
using OrleansNodes.Storage.Azure;
using OrleansNodes.TestServers;

namespace OrleansNodes.Storage.Tests.Azure;

/// <summary>
/// What only the Azure layout can get wrong: conditional appends between writers that saw the
/// same blob, torn multi-part records, a segment switch cut short, segment roll-over, cleanup of
/// obsolete blobs, and damaged blobs.
/// </summary>
public sealed class AzureNodeStoreTests(AzureStoreFixture azure) : IClassFixture<AzureStoreFixture>
{
    private static readonly byte[] Definition = Encoding.UTF8.GetBytes("definition");

    [AzuriteFact]
    public async Task Write_TwoStoresSawTheSameLength_SecondAppendIsStale()
    {
        var key = NewKey();
        var first = await azure.StoreAsync();
        var second = await azure.StoreAsync();
        await first.WriteAsync(key, Create());
        Assert.Equal(1, (await first.ReadAsync(key))!.Version);
        Assert.Equal(1, (await second.ReadAsync(key))!.Version);

        await first.WriteAsync(key, Write(1, "first", [(1, "a")]));
        await Assert.ThrowsAsync<StaleWriteException>(() => second.WriteAsync(key, Write(1, "second", [(1, "b")])));

        var read = await (await azure.StoreAsync()).ReadAsync(key);
        Assert.Equal(2, read!.Version);
        Assert.Equal("first", Text(read.Hard));
        Assert.Equal(["a"], read.Log.Select(entry => Text(entry.Payload)));
    }

    [AzuriteFact]
    public async Task Write_StaleWriterStagedASnapshot_DeletesItsStagedBlob()
    {
        var key = NewKey();
        var live = await azure.StoreAsync();
        var stale = await azure.StoreAsync();
        await live.WriteAsync(key, Create());
        await stale.ReadAsync(key);

        await live.WriteAsync(key, Write(1, "live"));
        await Assert.ThrowsAsync<StaleWriteException>(() => stale.WriteAsync(key, Write(1, "stale", snapshot: (5, ["s0", "s1"]))));

        Assert.DoesNotContain(await azure.LeavesAsync(key), leaf => leaf.StartsWith("snap-", StringComparison.Ordinal));
        Assert.Null((await live.ReadAsync(key))!.Snapshot);
    }

    [AzuriteFact]
    public async Task Write_CrashBetweenRecordParts_TornRecordIsIgnoredAndTheNextWritesWork()
    {
        var key = NewKey();
        var store = await azure.StoreAsync(container => new AzureNodeStore(container) { AppendBlockBytesMax = 256 });
        var model = new StoreModel();
        await WriteAsync(store, key, model, Create());
        var large = Write(1, "large", [(1, new string('x', 1000)), (2, new string('y', 300))]);

        // Crash after two of the record's parts; then, from a store that never saw the node, again.
        var before = await azure.SegmentLengthAsync(key, 0);
        await CrashAsync(store, AzureNodeStore.RecordPartAppendedPoint, reachedTimes: 2, () => store.WriteAsync(key, large));
        var fresh = await azure.StoreAsync(container => new AzureNodeStore(container) { AppendBlockBytesMax = 256 });
        model.AssertRead(await fresh.ReadAsync(key));
        await CrashAsync(fresh, AzureNodeStore.RecordPartAppendedPoint, reachedTimes: 1, () => fresh.WriteAsync(key, large));
        Assert.Equal(before + 3 * 256, await azure.SegmentLengthAsync(key, 0));

        // The first store still remembers the blob as it was before both torn records.
        await WriteAsync(store, key, model, large);
        model.AssertRead(await (await azure.StoreAsync()).ReadAsync(key));
        await WriteAsync(fresh, key, model, Write(2, "after", [(3, "c")]));
        model.AssertRead(await (await azure.StoreAsync()).ReadAsync(key));
    }

    [AzuriteFact]
    public async Task Read_CrashAfterTheSealBeforeTheNextSegment_ReaderCreatesItAndTheNextWriteGoesThere()
    {
        var key = NewKey();
        var store = await azure.StoreAsync();
        var model = new StoreModel();
        await WriteAsync(store, key, model, Create());
        await WriteAsync(store, key, model, Write(1, "h1", [(1, "a")]));

        await CrashAsync(store, AzureNodeStore.SegmentSealedPoint, reachedTimes: 1, () => store.WriteAsync(key, Write(2, "snap", snapshot: (1, ["s"]))));
        Assert.DoesNotContain(Segment(1), await azure.LeavesAsync(key));

        var reader = await azure.StoreAsync();
        model.AssertRead(await reader.ReadAsync(key));
        Assert.Contains(Segment(1), await azure.LeavesAsync(key));
        await WriteAsync(reader, key, model, Write(2, "h2", [(2, "b")]));
        model.AssertRead(await (await azure.StoreAsync()).ReadAsync(key));

        // The crashed writer's staged snapshot was staged for segment 1: the next snapshot, committed
        // in segment 2, makes it obsolete, and cleanup deletes it with the segments before.
        await WriteAsync(reader, key, model, Write(3, "h3", [(3, "c")], snapshot: (2, ["t0", "t1"])));
        model.AssertRead(await (await azure.StoreAsync()).ReadAsync(key));
        var leaves = await azure.LeavesAsync(key);
        Assert.Equal([Segment(2)], leaves.Where(leaf => leaf.StartsWith("log-", StringComparison.Ordinal)));
        Assert.Single(leaves, leaf => leaf.StartsWith("snap-0000000002-", StringComparison.Ordinal));
        Assert.Equal(2, leaves.Count);
    }

    [AzuriteFact]
    public async Task Write_ManyFlushesInSegmentsOfFourBlocks_RollOverAndEveryReadMatches()
    {
        var key = NewKey();
        var store = await azure.StoreAsync(container => new AzureNodeStore(container) { SegmentBlocksMax = 4 });
        var model = new StoreModel();
        var random = new Random(11);
        await WriteAsync(store, key, model, Create());
        var segmentsMax = 0;
        for (var i = 1; i <= 90; i++)
        {
            var puts = Enumerable.Range(0, random.Next(0, 4)).Select(_ => (long)random.Next(1, 40)).Distinct()
                .Select(index => (index, $"w{i}.{index}")).ToList();
            var kind = random.Next(8);
            var write = Write(model.Version, random.Next(3) == 0 ? null : $"h{i}", puts,
                truncateFrom: kind == 0 ? random.Next(1, 40) : null,
                compactThrough: kind == 1 ? random.Next(1, 40) : null,
                snapshot: i % 30 == 0 ? (i, [$"s{i}.0", $"s{i}.1"]) : null);
            await WriteAsync(store, key, model, write);
            model.AssertRead(await (await azure.StoreAsync()).ReadAsync(key));
            segmentsMax = Math.Max(segmentsMax, (await azure.LeavesAsync(key)).Count(leaf => leaf.StartsWith("log-", StringComparison.Ordinal)));
        }

        // Three records fit a segment of four blocks (one is kept for the seal), so 29 flushes between
        // snapshots take about ten segments, which the snapshot after them deletes.
        Assert.True(segmentsMax >= 9, $"at most {segmentsMax} segments at once");
        var leaves = await azure.LeavesAsync(key);
        Assert.Single(leaves, leaf => leaf.StartsWith("log-", StringComparison.Ordinal));
        Assert.Single(leaves, leaf => leaf.StartsWith("snap-", StringComparison.Ordinal));
    }

    [AzuriteFact]
    public async Task Write_StoreThatNeverReadTheNode_ReadsTheTailAndAppends()
    {
        var key = NewKey();
        var model = new StoreModel();
        await WriteAsync(await azure.StoreAsync(), key, model, Create());

        await WriteAsync(await azure.StoreAsync(), key, model, Write(1, "h1", [(1, "a")]));
        await WriteAsync(await azure.StoreAsync(), key, model, Write(2, snapshot: (1, ["s"])));
        await WriteAsync(await azure.StoreAsync(), key, model, Write(3, "h3", [(2, "b")]));

        model.AssertRead(await (await azure.StoreAsync()).ReadAsync(key));
    }

    [AzuriteFact]
    public async Task Read_RecordWithAFlippedByte_InvalidDataNamingTheSegment()
    {
        var key = NewKey();
        var store = await azure.StoreAsync();
        await store.WriteAsync(key, Create());
        await store.WriteAsync(key, Write(1, "h1", [(1, "a")]));

        await azure.DamageSegmentAsync(key, 0, bytes =>
        {
            bytes[50] ^= 0x40;
            return bytes;
        });

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => store.ReadAsync(key));
        Assert.Contains(Segment(0), error.Message);
        Assert.Contains("checksum", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [AzuriteFact]
    public async Task Read_GarbageAppendedToTheSegment_InvalidDataNamingTheSegment()
    {
        var key = NewKey();
        var store = await azure.StoreAsync();
        await store.WriteAsync(key, Create());
        var container = await azure.ContainerAsync();

        await container.GetAppendBlobClient(NodeBlobs.Segment(NodeBlobs.Folder(key), 0)).AppendBlockAsync(new MemoryStream(new byte[64]));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => store.ReadAsync(key));
        Assert.Contains(Segment(0), error.Message);
        Assert.Contains("bad magic", error.Message);
    }

    [AzuriteFact]
    public async Task Read_SnapshotBlobMissing_InvalidDataNamingIt()
    {
        var key = NewKey();
        var store = await azure.StoreAsync();
        await store.WriteAsync(key, Create());
        await store.WriteAsync(key, Write(1, snapshot: (3, ["s0", "s1"])));
        var snapshot = Assert.Single(await azure.LeavesAsync(key), leaf => leaf.StartsWith("snap-", StringComparison.Ordinal));

        await (await azure.ContainerAsync()).DeleteBlobAsync(NodeBlobs.Folder(key) + snapshot);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => store.ReadAsync(key));
        Assert.Contains(snapshot, error.Message);
        Assert.Contains("missing", error.Message);
    }

    [AzuriteFact]
    public async Task Read_SnapshotChunkDamaged_InvalidDataNamingTheSnapshot()
    {
        var key = NewKey();
        var store = await azure.StoreAsync();
        await store.WriteAsync(key, Create());
        await store.WriteAsync(key, Write(1, snapshot: (3, ["s0", "s1"])));
        var snapshot = Assert.Single(await azure.LeavesAsync(key), leaf => leaf.StartsWith("snap-", StringComparison.Ordinal));
        var blob = (await azure.ContainerAsync()).GetBlobClient(NodeBlobs.Folder(key) + snapshot);
        var bytes = (await blob.DownloadContentAsync()).Value.Content.ToArray();
        bytes[^1] ^= 0x01;

        await blob.UploadAsync(new BinaryData(bytes), overwrite: true);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => store.ReadAsync(key));
        Assert.Contains(snapshot, error.Message);
        Assert.Contains("checksum mismatch in chunk 1", error.Message);
    }

    private static string NewKey() => $"azure-{Guid.NewGuid():N}/0";

    private static string Segment(long number) => NodeBlobs.Segment("", number);

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    private static NodeWrite Create() => new(0, Definition, Encoding.UTF8.GetBytes("h0"), null, null, null, []);

    private static NodeWrite Write(long expected, string? hard = null, IEnumerable<(long, string)>? puts = null,
        long? truncateFrom = null, long? compactThrough = null, (long Index, IEnumerable<string> Chunks)? snapshot = null) =>
        new(expected, null, hard is null ? null : Encoding.UTF8.GetBytes(hard),
            snapshot is { } s ? new SnapshotWrite(s.Index, s.Chunks.Select(Encoding.UTF8.GetBytes)) : null,
            truncateFrom, compactThrough,
            [.. (puts ?? []).OrderBy(p => p.Item1).Select(p => new StoredEntry(p.Item1, Encoding.UTF8.GetBytes(p.Item2)))]);

    private static async Task WriteAsync(NodeStore store, string key, StoreModel model, NodeWrite write)
    {
        await store.WriteAsync(key, write);
        model.Apply(write);
    }

    /// <summary>Runs <paramref name="write"/> with a crash the <paramref name="reachedTimes"/>th time it reaches <paramref name="point"/>.</summary>
    private static async Task CrashAsync(NodeStore store, string point, int reachedTimes, Func<Task> write)
    {
        var reached = 0;
        store.OnWritePoint = at =>
        {
            if (at == point && ++reached == reachedTimes) throw new SimulatedCrash(point);
        };
        try
        {
            await Assert.ThrowsAsync<SimulatedCrash>(write);
        }
        finally
        {
            store.OnWritePoint = null;
        }
    }

    private sealed class SimulatedCrash(string point) : Exception($"simulated crash at {point}");

    /// <summary>What a read must return after the same writes (DurableImage.Apply's rules on strings).</summary>
}
