using System.Diagnostics;
using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace OrleansNodes.Benchmarks.Etcd;

/// <summary>
/// The closed-loop load of <c>orleansnodes kv load</c>, against etcd through its gRPC API:
/// sessions that each send one put (or linearizable get, etcd's default) of a random key among
/// <c>k0</c>…<c>k{K-1}</c>, the next as soon as the previous is answered, for a while. Latency is
/// from send to answer (Stopwatch); throughput counts answered operations over the time from the
/// start until the last session finished its last operation, as <c>kv load</c> does.
/// </summary>
public static class EtcdLoad
{
    // The console's default request timeout (--timeout-ms 10000): an operation unanswered by then is an error.
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Runs <paramref name="sessions"/> sessions of <paramref name="kind"/> (<c>put</c> or <c>get</c>) for <paramref name="duration"/>.</summary>
    public static async Task<LoadFigures> RunAsync(EtcdClient client, string kind, int sessions, int keys, int valueBytes, TimeSpan duration, CancellationToken cancellation)
    {
        var names = Enumerable.Range(0, keys).Select(Key).ToArray();
        var value = ByteString.CopyFrom(Value(valueBytes));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        stop.CancelAfter(duration);
        var started = Stopwatch.GetTimestamp();
        var results = await Task.WhenAll(Enumerable.Range(0, sessions).Select(session => Task.Run(() => SessionAsync(client, kind, session, names, value, stop.Token), CancellationToken.None)));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        cancellation.ThrowIfCancellationRequested();

        var latencies = new LatencyHistogram();
        foreach (var (histogram, _) in results) latencies.Add(histogram);
        return new LoadFigures(Math.Round(latencies.Count / seconds, 1), latencies.PercentileMs(0.50), latencies.PercentileMs(0.99), results.Sum(r => r.Errors));
    }

    /// <summary>Writes every key once with a value of <paramref name="valueBytes"/>, so that gets read values of that size.</summary>
    public static async Task FillAsync(EtcdClient client, int keys, int valueBytes, CancellationToken cancellation)
    {
        var value = ByteString.CopyFrom(Value(valueBytes));
        await Parallel.ForEachAsync(Enumerable.Range(0, keys), new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellation }, async (index, token) =>
            await client.PutAsync(new PutRequest { Key = Key(index), Value = value }, deadline: DateTime.UtcNow + RequestTimeout, cancellationToken: token));
    }

    private static async Task<(LatencyHistogram Latencies, long Errors)> SessionAsync(EtcdClient client, string kind, int session, ByteString[] keys, ByteString value, CancellationToken stop)
    {
        // Seeded per session, as kv load's sessions are: the same run picks the same keys.
        var random = new Random(session * 7919 + 1);
        var latencies = new LatencyHistogram();
        long errors = 0;
        while (!stop.IsCancellationRequested)
        {
            var key = keys[random.Next(keys.Length)];
            var sent = Stopwatch.GetTimestamp();
            try
            {
                // Not cancelled by the stop: the operation in flight at the end is answered and counted, as in kv load.
                if (kind == "put") await client.PutAsync(new PutRequest { Key = key, Value = value }, deadline: DateTime.UtcNow + RequestTimeout);
                else await client.GetAsync(new RangeRequest { Key = key }, deadline: DateTime.UtcNow + RequestTimeout);
                latencies.Record((long)Stopwatch.GetElapsedTime(sent).TotalMicroseconds);
            }
            catch (RpcException)
            {
                errors++;
            }
        }
        return (latencies, errors);
    }

    private static ByteString Key(int index) => ByteString.CopyFromUtf8("k" + index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    // The same bytes kv load writes: '.' padding (its values are the padded session and count).
    private static byte[] Value(int bytes) => Enumerable.Repeat((byte)'.', bytes).ToArray();
}
