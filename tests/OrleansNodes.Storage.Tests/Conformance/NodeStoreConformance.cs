using System.Text;
using OrleansNodes.Hosting.Storage;

namespace OrleansNodes.Storage.Tests.Conformance;

/// <summary>
/// What every <see cref="NodeStore"/> must do, checked against the reference semantics of a flush,
/// <see cref="DurableImage.Apply"/>: atomic writes, conditional on the expected version, with a
/// snapshot replacing the log and deletions before puts. A backend's test class derives from this
/// and says how to make its store, and runs every case as one theory (so that a backend whose
/// server is missing can skip them all, <c>[RedisTheory]</c>); every case uses node keys of its own.
/// </summary>
public abstract class NodeStoreConformance
{
    /// <summary>The name of every case: a backend's theory takes its data from here.</summary>
    public static TheoryData<string> Cases =>
        [.. typeof(NodeStoreConformance).GetMethods()
            .Where(m => m.DeclaringType == typeof(NodeStoreConformance) && m.ReturnType == typeof(Task) && m.GetParameters().Length == 0 && m.Name.Contains('_'))
            .Select(m => m.Name)];

    /// <summary>Runs the case named <paramref name="name"/>.</summary>
    protected Task RunAsync(string name) =>
        (Task)typeof(NodeStoreConformance).GetMethod(name)!.Invoke(this, null)!;

    private static readonly byte[] Definition = Encoding.UTF8.GetBytes("definition");

    /// <summary>The store under test, on a real server, fresh or shared (keys are unique per test).</summary>
    protected abstract Task<NodeStore> StoreAsync();

    /// <summary>
    /// Another store over the same storage, as a second activation on another silo has: what it
    /// refuses, storage refuses, not a cache in one store instance. The default asks
    /// <see cref="StoreAsync"/> again, which must then give a new instance.
    /// </summary>
    protected virtual Task<NodeStore> OtherStoreAsync() => StoreAsync();

    /// <summary>A node key no other test uses.</summary>
    protected static string NewKey() => $"conformance-{Guid.NewGuid():N}/0";

    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    protected static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    protected static NodeWrite Create(string hard = "h0") => new(0, Definition, Bytes(hard), null, null, null, []);

    protected static NodeWrite Write(long expected, string? hard = null, IEnumerable<(long, string)>? puts = null,
        long? truncateFrom = null, long? compactThrough = null, (long Index, IEnumerable<string> Chunks)? snapshot = null) =>
        new(expected, null, hard is null ? null : Bytes(hard),
            snapshot is { } s ? new SnapshotWrite(s.Index, s.Chunks.Select(Bytes)) : null,
            truncateFrom, compactThrough,
            [.. (puts ?? []).OrderBy(p => p.Item1).Select(p => new StoredEntry(p.Item1, Bytes(p.Item2)))]);

    public async Task Read_NodeNeverWritten_Null()
    {
        var store = await StoreAsync();

        Assert.Null(await store.ReadAsync(NewKey()));
    }

    public async Task Write_Create_ReadsBackVersionOneWithDefinitionAndHardState()
    {
        var store = await StoreAsync();
        var key = NewKey();

        await store.WriteAsync(key, Create("promised 1"));

        var read = await store.ReadAsync(key);
        Assert.Equal(1, read!.Version);
        Assert.Equal("definition", Text(read.Definition));
        Assert.Equal("promised 1", Text(read.Hard));
        Assert.Null(read.Snapshot);
        Assert.Empty(read.Log);
    }

    public async Task Write_CreateTwice_SecondIsStale()
    {
        var store = await StoreAsync();
        var key = NewKey();
        await store.WriteAsync(key, Create("first"));

        await Assert.ThrowsAsync<StaleWriteException>(() => store.WriteAsync(key, Create("second")));

        Assert.Equal("first", Text((await store.ReadAsync(key))!.Hard));
    }

    public async Task Write_TwoWritersFromOneVersion_SecondIsRefusedAndChangesNothing()
    {
        var store = await StoreAsync();
        var key = NewKey();
        await store.WriteAsync(key, Create());
        var writes = store.Writes;

        await store.WriteAsync(key, Write(1, "live", puts: [(1, "live entry")]));
        var stale = Write(1, "stale", puts: [(1, "stale entry"), (2, "stale entry")], snapshot: (9, ["stale chunk"]));
        await Assert.ThrowsAsync<StaleWriteException>(() => store.WriteAsync(key, stale));

        var read = await store.ReadAsync(key);
        Assert.Equal(2, read!.Version);
        Assert.Equal("live", Text(read.Hard));
        Assert.Null(read.Snapshot);
        Assert.Equal([(1L, "live entry")], read.Log.Select(e => (e.Index, Text(e.Payload))));
        Assert.Equal(writes + 1, store.Writes);
    }

    public async Task Write_TwoStoresFromOneVersion_StorageRefusesTheSecond()
    {
        var live = await StoreAsync();
        var stale = await OtherStoreAsync();
        Assert.NotSame(live, stale);
        var key = NewKey();
        await live.WriteAsync(key, Create());
        Assert.Equal(1, (await stale.ReadAsync(key))!.Version);

        await live.WriteAsync(key, Write(1, "live", puts: [(1, "live entry")]));
        await Assert.ThrowsAsync<StaleWriteException>(() => stale.WriteAsync(key, Write(1, "stale", puts: [(1, "stale entry"), (2, "b")])));
        // One that never read the node is refused the same way.
        var fresh = await OtherStoreAsync();
        await Assert.ThrowsAsync<StaleWriteException>(() => fresh.WriteAsync(key, Write(1, "fresh", puts: [(3, "c")])));

        var read = await (await OtherStoreAsync()).ReadAsync(key);
        Assert.Equal(2, read!.Version);
        Assert.Equal("live", Text(read.Hard));
        Assert.Equal([(1L, "live entry")], read.Log.Select(e => (e.Index, Text(e.Payload))));
    }

    public async Task Write_NoHardState_KeepsTheLastOne()
    {
        var store = await StoreAsync();
        var key = NewKey();
        await store.WriteAsync(key, Create("kept"));

        await store.WriteAsync(key, Write(1, hard: null, puts: [(1, "a")]));

        Assert.Equal("kept", Text((await store.ReadAsync(key))!.Hard));
    }

    public async Task Write_PutsTruncateAndCompact_ReadBackAsTheModel()
    {
        var store = await StoreAsync();
        var key = NewKey();
        var model = new StoreModel();
        NodeWrite[] writes =
        [
            Create(),
            Write(1, "h1", puts: [(1, "a"), (2, "b"), (3, "c"), (4, "d"), (5, "e")]),
            Write(2, puts: [(3, "c2")]),
            Write(3, "h3", truncateFrom: 5, puts: [(5, "e2"), (6, "f")]),
            Write(4, compactThrough: 2),
            Write(5, truncateFrom: 4, compactThrough: 3),
        ];

        foreach (var write in writes)
        {
            await store.WriteAsync(key, write);
            model.Apply(write);
            model.AssertRead(await store.ReadAsync(key));
        }
    }

    public async Task Write_Snapshot_ReplacesTheLogAndKeepsThePutsOfTheSameWrite()
    {
        var store = await StoreAsync();
        var key = NewKey();
        await store.WriteAsync(key, Create());
        await store.WriteAsync(key, Write(1, puts: [(1, "a"), (2, "b"), (3, "c")]));

        await store.WriteAsync(key, Write(2, "after snapshot", puts: [(3, "c"), (4, "d")], snapshot: (2, ["s0", "s1", "s2"])));

        var read = await store.ReadAsync(key);
        Assert.Equal(2, read!.Snapshot!.Index);
        Assert.Equal(["s0", "s1", "s2"], read.Snapshot.Chunks.Select(Text));
        Assert.Equal([3L, 4L], read.Log.Select(e => e.Index));
    }

    public async Task Write_SecondSnapshot_ReplacesTheFirstWhole()
    {
        var store = await StoreAsync();
        var key = NewKey();
        await store.WriteAsync(key, Create());
        await store.WriteAsync(key, Write(1, snapshot: (5, ["old0", "old1", "old2", "old3"])));

        await store.WriteAsync(key, Write(2, snapshot: (9, ["new0"])));

        var read = await store.ReadAsync(key);
        Assert.Equal(9, read!.Snapshot!.Index);
        Assert.Equal(["new0"], read.Snapshot.Chunks.Select(Text));
    }

    public async Task Write_LargeSnapshot_RoundTripsInOrder()
    {
        // 24 MiB in 384 chunks of 64 KiB: more than a backend takes in one request.
        var store = await StoreAsync();
        var key = NewKey();
        await store.WriteAsync(key, Create());
        var chunks = Enumerable.Range(0, 384).Select(i => i.ToString("D6") + new string((char)('a' + i % 26), 64 * 1024 - 6)).ToList();

        var bytes = await store.WriteAsync(key, Write(1, "big", snapshot: (1_000, chunks)));

        var read = await store.ReadAsync(key);
        Assert.Equal(384, read!.Snapshot!.Chunks.Count);
        Assert.True(read.Snapshot.Chunks.Select(Text).SequenceEqual(chunks));
        Assert.True(bytes >= 384 * 64 * 1024, $"{bytes} bytes counted");
    }

    public async Task Write_SeededRandomFlushes_EveryReadMatchesTheModel()
    {
        var store = await StoreAsync();
        var key = NewKey();
        var model = new StoreModel();
        var random = new Random(7);
        var first = Create();
        await store.WriteAsync(key, first);
        model.Apply(first);
        for (var i = 0; i < 60; i++)
        {
            var puts = Enumerable.Range(0, random.Next(0, 4)).Select(_ => random.Next(1, 30)).Distinct()
                .Select(index => ((long)index, $"w{i}.{index}")).ToList();
            var kind = random.Next(10);
            var write = Write(model.Version,
                hard: random.Next(3) == 0 ? null : $"h{i}",
                puts: puts,
                truncateFrom: kind == 0 ? random.Next(1, 30) : null,
                compactThrough: kind == 1 ? random.Next(1, 30) : null,
                snapshot: kind == 2 ? (random.Next(1, 30), Enumerable.Range(0, random.Next(1, 4)).Select(c => $"s{i}.{c}").ToList()) : null);
            await store.WriteAsync(key, write);
            model.Apply(write);
            model.AssertRead(await store.ReadAsync(key));
        }
    }

    public async Task Write_ManyNodesAtOnce_EachIsWrittenOnItsOwn()
    {
        var store = await StoreAsync();
        var keys = Enumerable.Range(0, 40).Select(_ => NewKey()).ToList();
        await Task.WhenAll(keys.Select(key => store.WriteAsync(key, Create())));

        await Task.WhenAll(keys.Select((key, i) => store.WriteAsync(key, Write(1, $"h{i}", puts: [(1, $"e{i}")]))));

        for (var i = 0; i < keys.Count; i++)
        {
            var read = await store.ReadAsync(keys[i]);
            Assert.Equal($"h{i}", Text(read!.Hard));
            Assert.Equal($"e{i}", Text(read.Log.Single().Payload));
        }
    }

    public async Task Write_CrashAtEachWritePoint_NodeIsBeforeOrAfterAndTheNextWriteWorks()
    {
        var store = await StoreAsync();
        Assert.NotEmpty(store.WritePoints); // every backend stages a large snapshot before committing it
        foreach (var point in store.WritePoints)
        {
            var key = NewKey();
            var model = new StoreModel();
            var create = Create();
            await store.WriteAsync(key, create);
            model.Apply(create);
            var setup = Write(1, "before", puts: [(1, "a"), (2, "b")], snapshot: (0, ["s-before"]));
            await store.WriteAsync(key, setup);
            model.Apply(setup);
            var large = Enumerable.Range(0, 64).Select(i => i.ToString("D4") + new string('x', 64 * 1024)).ToList();
            var interrupted = Write(2, "after", puts: [(2, "b2"), (3, "c")], snapshot: (2, large));

            store.OnWritePoint = reached => { if (reached == point) throw new SimulatedCrash(point); };
            await Assert.ThrowsAsync<SimulatedCrash>(() => store.WriteAsync(key, interrupted));
            store.OnWritePoint = null;

            var read = await store.ReadAsync(key);
            var after = new StoreModel();
            after.Apply(create);
            after.Apply(setup);
            after.Apply(interrupted);
            if (read!.Version == model.Version) model.AssertRead(read);
            else after.AssertRead(read);
            var current = read.Version == model.Version ? model : after;
            var next = Write(current.Version, "next", puts: [(7, "g")]);
            await store.WriteAsync(key, next);
            current.Apply(next);
            current.AssertRead(await store.ReadAsync(key));
        }
    }

    public async Task Write_StaleWriterWithALargeSnapshot_NeverBecomesVisible()
    {
        var store = await StoreAsync();
        var key = NewKey();
        await store.WriteAsync(key, Create());
        var large = Enumerable.Range(0, 64).Select(i => i.ToString("D4") + new string('y', 64 * 1024)).ToList();

        await store.WriteAsync(key, Write(1, "live", puts: [(1, "a")]));
        await Assert.ThrowsAsync<StaleWriteException>(() => store.WriteAsync(key, Write(1, "stale", snapshot: (5, large))));
        await store.WriteAsync(key, Write(2, "live again", puts: [(2, "b")]));

        var read = await store.ReadAsync(key);
        Assert.Equal("live again", Text(read!.Hard));
        Assert.Null(read.Snapshot);
        Assert.Equal([1L, 2L], read.Log.Select(e => e.Index));
    }

    /// <summary>Thrown from <see cref="NodeStore.OnWritePoint"/> to stop a write where a crash would.</summary>
    protected sealed class SimulatedCrash(string point) : Exception($"simulated crash at {point}");
}
