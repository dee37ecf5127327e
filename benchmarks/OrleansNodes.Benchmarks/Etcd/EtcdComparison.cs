using System.Runtime.InteropServices;
using System.Text.Json;
using OrleansNodes.TestServers;

namespace OrleansNodes.Benchmarks.Etcd;

/// <summary>
/// Issue 12's side-by-side benchmark: etcd (three members, when installed) and this store
/// (<c>embedded</c>, <c>redis3</c>) on the same machine, each cell of the matrix (operation kind
/// × sessions × value size) measured on every target in turn, round after round, so that a noisy
/// neighbour weighs on all of them alike, and each alone: the targets not measured are frozen
/// meanwhile (<see cref="Isolation"/>). Prints a Markdown row per cell with each target's
/// throughput and latency and its ratios to etcd: throughput target/etcd, and p50 etcd/target,
/// so that above 1 means faster than etcd in both. Ctrl+C (or SIGTERM) stops it, kills every
/// process it started and exits 130.
/// </summary>
public static class EtcdComparison
{
    /// <summary>Runs the comparison <paramref name="args"/> describe; 0, 2 on bad input, 1 when a target failed to start or answer (one line), 130 when interrupted.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["--help" or "-h"])
        {
            Console.WriteLine(EtcdOptions.Usage);
            return 0;
        }
        if (EtcdOptions.Parse(args, out var error) is not { } options)
        {
            Console.Error.WriteLine($"error: {error}");
            return 2;
        }

        using var interrupt = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        try
        {
            await MeasureAsync(options, interrupt.Token);
            return 0;
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            Console.Error.WriteLine("interrupted: every etcd member, silo and redis-server this run started was stopped");
            return 130;
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException or FileNotFoundException or Grpc.Core.RpcException)
        {
            Console.Error.WriteLine($"error: {exception.Message}");
            return 1;
        }

        void Stop(PosixSignalContext context)
        {
            // Unwind through the usings, which kill the child processes, rather than exit at once.
            context.Cancel = true;
            interrupt.Cancel();
        }
    }

    private static readonly TimeSpan StartWarmup = TimeSpan.FromSeconds(5);

    private static async Task MeasureAsync(EtcdOptions options, CancellationToken cancellation)
    {
        var etcdPath = EtcdCluster.Executable();
        var targets = options.Targets.Where(t => t != "etcd" || etcdPath is not null).ToList();
        if (etcdPath is null && options.Targets.Contains("etcd")) Console.Error.WriteLine("etcd is not on PATH (Debian: apt-get install etcd-server): measuring only this store");
        var duration = TimeSpan.FromSeconds(options.DurationSeconds);
        var warmup = TimeSpan.FromSeconds(options.WarmupSeconds);

        EtcdCluster? etcd = null;
        var stores = new List<StoreDeployment>();
        try
        {
            foreach (var target in targets)
            {
                if (target == "etcd") etcd = await EtcdCluster.StartAsync(etcdPath!, cancellation);
                else stores.Add(await StoreDeployment.StartAsync(target, cancellation));
            }
            var alone = new Isolation(etcd, stores, options.FreezeOthers);
            // A process just started runs its code unoptimized until tiered compilation has seen
            // it called often enough, and a frozen one never gets to: every target is loaded with
            // every kind, alone, before anything is measured; the silos until their JIT has settled.
            var warmups = new Dictionary<string, Warmup>();
            foreach (var target in targets)
            {
                await alone.RunAloneAsync(target);
                if (target == "etcd")
                {
                    foreach (var kind in options.Kinds) await LoadAsync(target, etcd, stores, kind, 8, options.Keys, options.ValueBytes[0], TimeSpan.Zero, StartWarmup, cancellation);
                }
                else
                {
                    warmups[target] = await stores.Single(store => store.Name == target).WarmUpAsync(options.Kinds, options.ValueBytes, options.Keys, cancellation);
                }
            }
            if (!options.Json) await PrintHeaderAsync(options, targets, etcdPath, warmups);

            foreach (var valueBytes in options.ValueBytes)
            {
                foreach (var kind in options.Kinds)
                {
                    if (kind == "get")
                    {
                        if (etcd is not null)
                        {
                            await alone.RunAloneAsync("etcd");
                            await EtcdLoad.FillAsync(etcd.Client, options.Keys, valueBytes, cancellation);
                        }
                        foreach (var store in stores)
                        {
                            await alone.RunAloneAsync(store.Name);
                            await store.FillAsync(options.Keys, valueBytes, cancellation);
                        }
                    }
                    foreach (var sessions in options.Sessions)
                    {
                        var rounds = targets.ToDictionary(t => t, _ => new List<LoadFigures>());
                        for (var round = 0; round < options.Rounds; round++)
                        {
                            foreach (var target in targets)
                            {
                                await alone.RunAloneAsync(target);
                                rounds[target].Add(await LoadAsync(target, etcd, stores, kind, sessions, options.Keys, valueBytes, warmup, duration, cancellation));
                            }
                        }
                        var cell = new Cell(kind, sessions, valueBytes, targets.ToDictionary(t => t, t => LoadFigures.Median(rounds[t])));
                        Console.WriteLine(options.Json ? cell.ToJson() : cell.ToRow(targets));
                    }
                }
            }
        }
        finally
        {
            etcd?.Dispose();
            foreach (var store in stores) await store.DisposeAsync();
        }
    }

    /// <summary>
    /// Each target runs alone: while one is filled or measured, every other deployment is frozen
    /// (SIGSTOP, sockets open), so that no idle process takes CPU from it. Idle silos tick, and an
    /// idle .NET process spins before its threads sleep: stop 27 measured etcd at 462 puts/s from
    /// one session alone against 321 beside the idle silos, which flattered this store's ratios.
    /// Every frozen process is in a group frozen whole (a cluster's members, or silos with their
    /// Redis), so none of them sees a peer stop answering; the warm-up before each run absorbs the
    /// thaw. <c>--no-freeze</c> keeps them all running, as before.
    /// </summary>
    private sealed class Isolation(EtcdCluster? etcd, List<StoreDeployment> stores, bool freeze)
    {
        private readonly HashSet<string> _frozen = [];

        public async Task RunAloneAsync(string target)
        {
            if (!freeze) return;
            if (etcd is not null && target != "etcd" && _frozen.Add("etcd")) await etcd.PauseAsync();
            foreach (var store in stores)
            {
                if (store.Name != target && _frozen.Add(store.Name)) await store.PauseAsync();
            }
            if (!_frozen.Remove(target)) return;
            if (target == "etcd") await etcd!.ResumeAsync();
            else await stores.Single(s => s.Name == target).ResumeAsync();
        }
    }

    // Every run is preceded by the same load for the warm-up, unmeasured, on every target alike:
    // etcd's client runs in this process, but kv load is a process of its own each run, which
    // spends its first seconds compiling its code (stop 27 found a fifth of both cores in the JIT
    // of the load and of freshly started silos during a 10 s run).
    private static async Task<LoadFigures> LoadAsync(string target, EtcdCluster? etcd, List<StoreDeployment> stores, string kind, int sessions, int keys, int valueBytes, TimeSpan warmup, TimeSpan duration, CancellationToken cancellation)
    {
        if (target != "etcd") return await stores.Single(s => s.Name == target).LoadAsync(kind, sessions, keys, valueBytes, warmup, duration, cancellation);
        if (warmup > TimeSpan.Zero) await EtcdLoad.RunAsync(etcd!.Client, kind, sessions, keys, valueBytes, warmup, cancellation);
        return await EtcdLoad.RunAsync(etcd!.Client, kind, sessions, keys, valueBytes, duration, cancellation);
    }

    private static async Task PrintHeaderAsync(EtcdOptions options, IReadOnlyList<string> targets, string? etcdPath, IReadOnlyDictionary<string, Warmup> warmups)
    {
        var version = "";
        if (etcdPath is not null)
        {
            using var process = ChildProcess.Start(etcdPath, ["--version"]);
            await process.WaitForExitAsync(TimeSpan.FromSeconds(10));
            version = process.Output().Split('\n')[0].Trim();
        }
        Console.WriteLine($"# {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}{(version.Length > 0 ? ", " + version : "")}");
        Console.WriteLine($"# closed loop, {options.Keys} keys, {options.DurationSeconds:0.#} s per run, {options.Rounds} round(s) (median), interleaved {string.Join(" / ", targets)} per cell, {string.Join("", targets.Select(t => warmups.TryGetValue(t, out var warmup) ? $"{t} loaded at 8 sessions until its JIT settled ({warmup}), " : $"{t} loaded {StartWarmup.TotalSeconds:0} s per kind at 8 sessions once started, "))}each run after {options.WarmupSeconds:0.#} s of the same load, unmeasured, {(options.FreezeOthers ? "the other targets frozen (SIGSTOP) meanwhile" : "the other targets idle beside it (--no-freeze)")}");
        Console.WriteLine("# etcd: 3 members on loopback, fsync on, gRPC client (dotnet-etcd) over all three; embedded: 1 silo, SQLite; redis3: 3 silos, redis-server appendfsync always, AOF rewritten after 256 MB; silos at their default 50 ms tick; both through `orleansnodes kv load`");
        Console.WriteLine("# ratios: ops/s target/etcd, p50 etcd/target: above 1 is faster than etcd");
        Console.WriteLine();
        Console.WriteLine(Cell.Header(targets));
    }

    /// <summary>One cell of the matrix: every target's figures for one kind, session count and value size.</summary>
    private sealed record Cell(string Kind, int Sessions, int ValueBytes, IReadOnlyDictionary<string, LoadFigures> Figures)
    {
        public static string Header(IReadOnlyList<string> targets)
        {
            var columns = new List<string> { "op", "sessions", "value" };
            var aligns = new List<string> { "---", "---:", "---:" };
            foreach (var target in targets)
            {
                columns.AddRange([$"{target} ops/s", $"{target} p50 / p99 ms"]);
                aligns.AddRange(["---:", "---:"]);
                if (target != "etcd" && targets.Contains("etcd"))
                {
                    columns.AddRange([$"{target}/etcd ops/s", $"etcd/{target} p50"]);
                    aligns.AddRange(["---:", "---:"]);
                }
            }
            return $"| {string.Join(" | ", columns)} |\n| {string.Join(" | ", aligns)} |";
        }

        public string ToRow(IReadOnlyList<string> targets)
        {
            var cells = new List<string> { Kind, Sessions.ToString(), ValueBytes >= 1024 && ValueBytes % 1024 == 0 ? $"{ValueBytes / 1024} KB" : $"{ValueBytes} B" };
            Figures.TryGetValue("etcd", out var etcd);
            foreach (var target in targets)
            {
                var f = Figures[target];
                cells.Add($"{f.OpsPerSecond:N0}{(f.Errors > 0 ? $" ({f.Errors} errors)" : "")}");
                cells.Add($"{f.LatencyMsP50:F2} / {f.LatencyMsP99:F2}");
                if (target != "etcd" && etcd is not null)
                {
                    cells.Add($"{Ratio(f.OpsPerSecond, etcd.OpsPerSecond):F2}");
                    cells.Add($"{Ratio(etcd.LatencyMsP50, f.LatencyMsP50):F2}");
                }
            }
            return $"| {string.Join(" | ", cells)} |";
        }

        public string ToJson()
        {
            Figures.TryGetValue("etcd", out var etcd);
            var targets = Figures.ToDictionary(p => p.Key, p => new
            {
                opsPerSecond = p.Value.OpsPerSecond,
                latencyMsP50 = p.Value.LatencyMsP50,
                latencyMsP99 = p.Value.LatencyMsP99,
                errors = p.Value.Errors,
                opsRatioToEtcd = etcd is null || p.Key == "etcd" ? (double?)null : Math.Round(Ratio(p.Value.OpsPerSecond, etcd.OpsPerSecond), 3),
                p50RatioEtcdToThis = etcd is null || p.Key == "etcd" ? (double?)null : Math.Round(Ratio(etcd.LatencyMsP50, p.Value.LatencyMsP50), 3),
            });
            return JsonSerializer.Serialize(new { kind = Kind, sessions = Sessions, valueBytes = ValueBytes, targets });
        }

        private static double Ratio(double numerator, double denominator) => denominator > 0 ? numerator / denominator : double.NaN;
    }
}
