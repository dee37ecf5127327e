using System.Diagnostics;
using OrleansNodes.Protocols.KeyValue;

namespace OrleansNodes.Benchmarks;

/// <summary>
/// What a replica spends applying one put, by value size: the batch's fingerprint (which hashes
/// every value into the history digest) alone, and the whole apply (fingerprint, store update,
/// session), on a store of <c>keys</c> keys, one thread. The yardstick measured beside them is a
/// copy of the value's characters, the least any replica does with a value it receives.
/// </summary>
public static class ApplyCost
{
    /// <summary>One value size's figures, per put.</summary>
    public sealed record Result(int ValueBytes, int Keys, double FingerprintMicroseconds, double ApplyMicroseconds, double CopyMicroseconds);

    /// <summary>Measures <paramref name="puts"/> puts, in slots of 64, for each of <paramref name="valueSizes"/>.</summary>
    public static IEnumerable<Result> Run(IEnumerable<int> valueSizes, int keys, int puts)
    {
        foreach (var valueBytes in valueSizes)
        {
            var value = new string('v', valueBytes);
            // The store is filled by one client; the measured puts come from 64 others, each put a
            // new request (a repeated one would be answered from its session, not applied).
            var store = KeyValueStore.Empty;
            for (var i = 0; i < keys; i += 64)
            {
                var fill = new KeyValueBatch([.. Enumerable.Range(i, Math.Min(64, keys - i)).Select(j => new ClientCommand(new ClientId(1_000), j, new KeyValueCommand.Put("k" + j, value)))]);
                store = store.Apply(store.AppliedIndex + 1, fill, 1024, reply: null);
            }
            var batches = Enumerable.Range(0, puts / 64)
                .Select(b => new KeyValueBatch([.. Enumerable.Range(b * 64, 64).Select(i => new ClientCommand(new ClientId(i % 64), i, new KeyValueCommand.Put("k" + (i * 7919L % keys), value)))]))
                .ToList();

            var buffer = new char[valueBytes];
            var copy = Measure.Median(5, () =>
            {
                foreach (var batch in batches)
                    foreach (var command in batch.Commands) ((KeyValueCommand.Put)command.Command).Value.CopyTo(buffer);
            });
            ulong sink = 0;
            var fingerprint = Measure.Median(5, () =>
            {
                foreach (var batch in batches) sink ^= batch.Fingerprint();
            });
            var apply = Measure.Median(5, () =>
            {
                var applied = store;
                foreach (var batch in batches) applied = applied.Apply(applied.AppliedIndex + 1, batch, 1024, reply: null);
                sink ^= applied.HistoryDigest;
            });
            GC.KeepAlive(sink);
            yield return new Result(valueBytes, keys, fingerprint.TotalMicroseconds / puts, apply.TotalMicroseconds / puts, copy.TotalMicroseconds / puts);
        }
    }
}
