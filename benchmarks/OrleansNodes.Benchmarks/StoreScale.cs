using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using OrleansNodes.Protocols.KeyValue;

namespace OrleansNodes.Benchmarks;

/// <summary>
/// What a key-value replica's store costs as it grows (issue 9): memory per key, and the work
/// of a recovery (snapshot decoded and rebuilt, log replayed) and of a snapshot (cut and
/// serialized with the Orleans serializer, as the host writes it), at several store sizes, with
/// 100-byte values, one thread.
/// </summary>
public static class StoreScale
{
    /// <summary>One size's figures.</summary>
    public sealed record Result(int Keys, double HeapBytesPerKey, double RawBytesPerKey, TimeSpan Snapshot, long SnapshotBytes, TimeSpan Rebuild, TimeSpan Replay, int ReplayedPuts);

    /// <summary>Measures stores of <paramref name="sizes"/> keys; the replay is of <paramref name="replayPuts"/> puts in slots of 64.</summary>
    public static IEnumerable<Result> Run(IEnumerable<int> sizes, int replayPuts)
    {
        var serializer = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(KeyValueStore).Assembly)).BuildServiceProvider().GetRequiredService<Serializer>();
        var value = new string('v', 100);
        foreach (var keys in sizes)
        {
            var heapBefore = Heap();
            var store = Build(keys, value);
            var heapAfter = Heap();
            var raw = (double)store.Data.Sum(item => item.Key.Length + item.Utf8Value.Length) / keys;

            var watch = Stopwatch.StartNew();
            var bytes = store.Chunks(256 << 10).Select(chunk => serializer.SerializeToArray<object>(chunk)).ToList();
            var snapshot = watch.Elapsed;

            watch.Restart();
            var rebuilt = KeyValueStore.FromChunks(bytes.Select(b => (KeyValueChunk)serializer.Deserialize<object>(b)!));
            var rebuild = watch.Elapsed;

            var entries = Batches(replayPuts, value, first: keys).Select(b => serializer.SerializeToArray<object>(new LogEntry(Ballot.Zero, b, false))).ToList();
            watch.Restart();
            var slot = rebuilt.AppliedIndex;
            foreach (var entry in entries) rebuilt = rebuilt.Apply(++slot, ((LogEntry)serializer.Deserialize<object>(entry)!).Value, 1024, reply: null);
            var replay = watch.Elapsed;

            yield return new Result(keys, (heapAfter - heapBefore) / (double)keys, raw, snapshot, bytes.Sum(b => (long)b.Length), rebuild, replay, replayPuts);
            GC.KeepAlive(store);
        }
    }

    private static KeyValueStore Build(int keys, string value)
    {
        var store = KeyValueStore.Empty;
        foreach (var batch in Batches(keys, value, first: 0)) store = store.Apply(store.AppliedIndex + 1, batch, 1024, reply: null);
        return store;
    }

    private static IEnumerable<KeyValueBatch> Batches(int puts, string value, int first)
    {
        for (var i = 0; i < puts; i += 64)
            yield return new KeyValueBatch([.. Enumerable.Range(first + i, Math.Min(64, puts - i)).Select(j => new ClientCommand(new ClientId(j % 64), j, new KeyValueCommand.Put("p" + j, value)))]);
    }

    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
