using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OrleansNodes.TestServers;

namespace OrleansNodes.Cluster.Benchmarks;

/// <summary>
/// Issue 9's figures, per storage profile, with real processes: the same put load (32 sessions,
/// 16 hot keys, 100-byte values) on an empty store and on one holding <c>keys</c> preloaded keys,
/// the bytes each flush wrote in both, what an idle cluster writes, and how long a silo whose
/// nodes hold those keys takes to serve a put again after SIGKILL (next to the same restart with
/// an empty store), with the silo's memory.
/// </summary>
public static class Durability
{
    private const int Clients = 32;
    private const int ValueBytes = 100;

    /// <summary>One profile's figures.</summary>
    public sealed record Figures(
        string Profile,
        double EmptyPutsPerSecond,
        double FullPutsPerSecond,
        double EmptyBytesPerFlush,
        double FullBytesPerFlush,
        double EmptyLogBytesPerFlush,
        double FullLogBytesPerFlush,
        int SnapshotsInFullWindow,
        double PreloadSeconds,
        double IdleWritesPerSecond,
        double EmptyRestartSeconds,
        double FullRestartSeconds,
        long EmptyRssBytes,
        long FullRssBytes,
        long FullRecoveredRssBytes,
        long SnapshotBytes);

    /// <summary>Measures <paramref name="profile"/> (silo arguments <paramref name="arguments"/>).</summary>
    public static async Task<Figures> MeasureAsync(string profile, string[] arguments, long keys, TimeSpan duration, TimeSpan idle)
    {
        var emptyRestart = await RestartSecondsAsync(arguments);

        using var deployment = await Deployment.StartAsync(1, arguments);
        var silo = deployment.Silos[0];
        await LoadAsync(deployment, TimeSpan.FromSeconds(3), preload: 0);
        var emptyRss = Rss(silo);

        var before = await StorageAsync(silo);
        var empty = await LoadAsync(deployment, duration, preload: 0);
        var afterEmpty = await StorageAsync(silo);

        var preloadSummary = await LoadAsync(deployment, TimeSpan.Zero, preload: keys);
        var beforeFull = await StorageAsync(silo);
        var full = await LoadAsync(deployment, duration, preload: 0);
        var afterFull = await StorageAsync(silo);
        var fullRss = Rss(silo);

        // Quiet: let the last batches settle, then count writes for the idle window.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var quiet = await StorageAsync(silo);
        await Task.Delay(idle);
        var idleEnd = await StorageAsync(silo);

        // SIGKILL and restart on the same ports and data: time until a put is served again.
        silo.Kill();
        var fullRestart = await TimeFirstPutAsync(silo, deployment.Ids);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var recoveredRss = Rss(silo);
        var snapshot = (await StorageAsync(silo)).SnapshotBytes;

        return new Figures(
            profile,
            empty.PutsPerSecond,
            full.PutsPerSecond,
            BytesPerFlush(before, afterEmpty),
            BytesPerFlush(beforeFull, afterFull),
            LogBytesPerFlush(before, afterEmpty),
            LogBytesPerFlush(beforeFull, afterFull),
            afterFull.Snapshots.Zip(beforeFull.Snapshots).Count(pair => pair.First.Index != pair.Second.Index),
            preloadSummary.PreloadSeconds,
            (idleEnd.Writes - quiet.Writes) / idle.TotalSeconds,
            emptyRestart,
            fullRestart,
            emptyRss,
            fullRss,
            recoveredRss,
            snapshot);
    }

    /// <summary>A fresh silo, one put, SIGKILL, restart: seconds until a put is served again (the baseline of the full restart).</summary>
    private static async Task<double> RestartSecondsAsync(string[] arguments)
    {
        using var deployment = await Deployment.StartAsync(1, arguments);
        await LoadAsync(deployment, TimeSpan.FromSeconds(1), preload: 0);
        deployment.Silos[0].Kill();
        return await TimeFirstPutAsync(deployment.Silos[0], deployment.Ids);
    }

    /// <summary>Restarts the silo and times, from the restart, the first put a console process gets answered (the console retries connecting until the silo listens).</summary>
    private static async Task<double> TimeFirstPutAsync(SiloProcess silo, string[] ids)
    {
        var watch = Stopwatch.StartNew();
        var restart = silo.StartAsync();
        for (var attempt = 0; ; attempt++)
        {
            var put = await ConsoleProcess.RunAsync(["kv", "put", "restart", "1", "--gateway", silo.Gateway, .. ids, "--timeout-ms", "60000"], TimeSpan.FromMinutes(3));
            if (put.ExitCode == 0) break;
            if (attempt >= 20) throw new InvalidOperationException($"no put was served after the restart:\n{put.Output}");
        }
        var seconds = watch.Elapsed.TotalSeconds;
        await restart;
        return seconds;
    }

    private static async Task<LoadSummaryView> LoadAsync(Deployment deployment, TimeSpan duration, long preload)
    {
        string[] length = preload > 0 ? ["--ops", "1", "--clients", "64"] : ["--duration", duration.TotalSeconds.ToString(CultureInfo.InvariantCulture), "--clients", Clients.ToString(CultureInfo.InvariantCulture)];
        using var process = ConsoleProcess.Start(
        [
            "kv", "load", "--gateway", string.Join(",", deployment.Gateways), .. deployment.Ids,
            "--keys", "16", "--mix", "put=100", "--value-bytes", ValueBytes.ToString(CultureInfo.InvariantCulture),
            "--preload", preload.ToString(CultureInfo.InvariantCulture), "--timeout-ms", "10000", "--json", .. length,
        ]);
        var exit = await process.WaitForExitAsync(TimeSpan.FromHours(2));
        var output = process.Output();
        var json = output.Split('\n').LastOrDefault(l => l.StartsWith('{'));
        if (exit != 0 || json is null) throw new InvalidOperationException($"kv load exited with {exit}:\n{output}");
        using var summary = JsonDocument.Parse(json);
        var root = summary.RootElement;
        return new LoadSummaryView(root.GetProperty("putsPerSecond").GetDouble(), root.TryGetProperty("preloadSeconds", out var p) ? p.GetDouble() : 0);
    }

    /// <summary>The storage counters of every node of cluster <c>kv</c>, summed.</summary>
    private static async Task<StorageView> StorageAsync(SiloProcess silo)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var status = JsonDocument.Parse(await http.GetStringAsync(new Uri(silo.Url, "status/kv")));
        long writes = 0, bytes = 0, snapshot = 0;
        var snapshots = new List<(long? Index, long Bytes)>();
        foreach (var node in status.RootElement.GetProperty("nodes").EnumerateArray())
        {
            var storage = node.GetProperty("storage");
            writes += storage.GetProperty("writes").GetInt64();
            bytes += storage.GetProperty("bytes").GetInt64();
            snapshot = Math.Max(snapshot, storage.GetProperty("snapshotBytes").GetInt64());
            var index = storage.GetProperty("snapshotIndex");
            snapshots.Add((index.ValueKind == JsonValueKind.Null ? null : index.GetInt64(), storage.GetProperty("snapshotBytes").GetInt64()));
        }
        return new StorageView(writes, bytes, snapshot, snapshots);
    }

    private static double BytesPerFlush(StorageView before, StorageView after) =>
        after.Writes == before.Writes ? 0 : (double)(after.Bytes - before.Bytes) / (after.Writes - before.Writes);

    // The same without the snapshots written in the window (one per node whose snapshot moved):
    // what an ordinary flush costs, which snapshots add to by at most as much again, amortized.
    private static double LogBytesPerFlush(StorageView before, StorageView after)
    {
        var snapshotBytes = after.Snapshots.Zip(before.Snapshots).Where(pair => pair.First.Index != pair.Second.Index).Sum(pair => pair.First.Bytes);
        return after.Writes == before.Writes ? 0 : (double)(after.Bytes - before.Bytes - snapshotBytes) / (after.Writes - before.Writes);
    }

    /// <summary>The silo process's resident memory, from /proc.</summary>
    private static long Rss(SiloProcess silo)
    {
        foreach (var line in File.ReadLines($"/proc/{silo.Process.Id}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        return 0;
    }

    private sealed record LoadSummaryView(double PutsPerSecond, double PreloadSeconds);

    private sealed record StorageView(long Writes, long Bytes, long SnapshotBytes, List<(long? Index, long Bytes)> Snapshots);
}
