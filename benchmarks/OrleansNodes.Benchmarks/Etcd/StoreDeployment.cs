using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OrleansNodes.TestServers;

namespace OrleansNodes.Benchmarks.Etcd;

/// <summary>
/// This store as the etcd comparison runs it: <c>embedded</c>, one silo process with its default
/// embedded storage (SQLite in a fresh temp folder), or <c>redis3</c>, three silo processes on the
/// redis profile over a private <c>redis-server</c> (append-only file fsynced on every write).
/// Silos are the built Release <c>orleansnodes-silo</c> on free loopback ports (at the silo's
/// default tick, 50 ms), loaded by the console's own <c>kv load --json</c> as a
/// separate process through every silo's gateway.
/// </summary>
public sealed class StoreDeployment : IAsyncDisposable
{
    private static readonly TimeSpan StartupBound = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan WarmupSlice = TimeSpan.FromSeconds(5);
    private const double SettledJitShare = 0.02;
    private const int WarmupRoundsMax = 10;
    private const string JitTimeMetric = "dotnet_jit_compilation_time_seconds_total";
    private readonly SiloGroup _silos;
    private readonly RedisServer? _redis;

    private StoreDeployment(string name, SiloGroup silos, RedisServer? redis)
    {
        Name = name;
        _silos = silos;
        _redis = redis;
    }

    // The tests start silos with 20 ms ticks, for quick elections; a benchmark measures what an
    // operator runs, the silo's default (HostSettings.TickMs). Idle silos tick too, and every
    // target shares the two cores with the others' idle processes.
    private static readonly string[] SiloDefaults = ["--tick-ms", "50"];

    /// <summary><c>embedded</c> or <c>redis3</c>.</summary>
    public string Name { get; }

    /// <summary>
    /// Starts <paramref name="name"/> and waits until each replica of cluster <c>kv</c> answers
    /// its status (for redis3: each on a silo of its own, the default placement) and a put is acknowledged.
    /// </summary>
    public static async Task<StoreDeployment> StartAsync(string name, CancellationToken cancellation)
    {
        RedisServer? redis = null;
        SiloGroup? silos = null;
        try
        {
            if (name == "redis3")
            {
                redis = RedisServer.Owned();
                await redis.InitializeAsync();
                silos = await SiloGroup.StartAsync(3, ["--storage", "redis", "--redis", redis.ConnectionString, .. SiloDefaults]);
                await silos.WaitForSpreadAsync(StartupBound).WaitAsync(cancellation);
            }
            else
            {
                silos = await SiloGroup.StartAsync(1, SiloDefaults);
                await silos.WaitForAllAnsweringAsync(StartupBound).WaitAsync(cancellation);
            }
            var deployment = new StoreDeployment(name, silos, redis);
            await deployment.WaitForPutAsync(cancellation);
            return deployment;
        }
        catch
        {
            silos?.Dispose();
            if (redis is not null) await redis.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <c>kv load</c> with <paramref name="sessions"/> sessions of <paramref name="kind"/> (<c>put</c> or <c>get</c>) for <paramref name="duration"/>, after <paramref name="warmup"/> of the same load (<c>--warmup</c>, not measured).</summary>
    public Task<LoadFigures> LoadAsync(string kind, int sessions, int keys, int valueBytes, TimeSpan warmup, TimeSpan duration, CancellationToken cancellation) =>
        RunLoadAsync(
        [
            "--mix", $"{kind}=100", "--clients", Text(sessions), "--keys", Text(keys), "--value-bytes", Text(valueBytes),
            "--duration", duration.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            .. warmup > TimeSpan.Zero ? ["--warmup", warmup.TotalSeconds.ToString(CultureInfo.InvariantCulture)] : Array.Empty<string>(),
        ], warmup + duration, cancellation);

    /// <summary>
    /// Loads the deployment until the silos' JIT has settled: rounds of every kind and value size
    /// at 8 sessions, <see cref="WarmupSlice"/> each, until in one round every silo spent less than
    /// <see cref="SettledJitShare"/> of it compiling (<c>dotnet_jit_compilation_time_seconds_total</c>
    /// on its <c>/metrics</c>), or <see cref="WarmupRoundsMax"/> rounds. A silo just started
    /// compiles for a minute or more under load; etcd, compiled ahead of time, does not.
    /// </summary>
    public async Task<Warmup> WarmUpAsync(IReadOnlyList<string> kinds, IReadOnlyList<int> valueBytes, int keys, CancellationToken cancellation)
    {
        var started = Stopwatch.GetTimestamp();
        var before = await JitSecondsAsync(cancellation);
        for (var round = 1; ; round++)
        {
            var roundStarted = Stopwatch.GetTimestamp();
            foreach (var size in valueBytes)
            {
                foreach (var kind in kinds) await LoadAsync(kind, 8, keys, size, TimeSpan.Zero, WarmupSlice, cancellation);
            }
            var after = await JitSecondsAsync(cancellation);
            var share = after.Zip(before, (a, b) => a - b).Max() / Stopwatch.GetElapsedTime(roundStarted).TotalSeconds;
            before = after;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Name} warm-up round {round}: JIT {100 * share:0.#} % of it on the busiest silo"));
            if (share < SettledJitShare || round == WarmupRoundsMax) return new Warmup(round, Stopwatch.GetElapsedTime(started), share);
        }
    }

    /// <summary>Each silo's JIT compilation time so far, in seconds.</summary>
    private async Task<double[]> JitSecondsAsync(CancellationToken cancellation)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var seconds = new double[_silos.Silos.Count];
        for (var i = 0; i < seconds.Length; i++)
        {
            var metrics = await http.GetStringAsync(new Uri(_silos.Silos[i].Url, "metrics"), cancellation);
            seconds[i] = MetricValue(metrics, JitTimeMetric)
                ?? throw new InvalidOperationException($"{Name}: silo {i}'s /metrics has no {JitTimeMetric}");
        }
        return seconds;
    }

    /// <summary>The value of the first sample of <paramref name="name"/> in Prometheus' text format, if any.</summary>
    public static double? MetricValue(string exposition, string name)
    {
        foreach (var line in exposition.Split('\n'))
        {
            if (!line.StartsWith(name, StringComparison.Ordinal) || line.Length == name.Length || line[name.Length] is not ('{' or ' ')) continue;
            return double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }
        return null;
    }

    /// <summary>
    /// Puts eight times as many values of <paramref name="valueBytes"/> as there are keys, on
    /// random keys, so that gets read values of that size: kv load picks keys at random, and after
    /// 8·K puts a key is missed with probability e⁻⁸ (0.03%).
    /// </summary>
    public Task FillAsync(int keys, int valueBytes, CancellationToken cancellation) =>
        RunLoadAsync(["--mix", "put=100", "--clients", "32", "--keys", Text(keys), "--value-bytes", Text(valueBytes), "--ops", Text(8 * keys)], TimeSpan.FromMinutes(2), cancellation);

    /// <summary>SIGSTOP the silos, then their redis-server: the deployment freezes with its sockets open and takes no CPU.</summary>
    public async Task PauseAsync()
    {
        await _silos.PauseAsync();
        if (_redis is not null) await _redis.PauseAsync();
    }

    /// <summary>SIGCONT the redis-server, then the silos, after <see cref="PauseAsync"/>.</summary>
    public async Task ResumeAsync()
    {
        if (_redis is not null) await _redis.ResumeAsync();
        await _silos.ResumeAsync();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _silos.Dispose();
        if (_redis is not null) await _redis.DisposeAsync();
    }

    // kv load exits 0 even when its one put got no answer (an unknown outcome): ask again until one is acknowledged.
    private async Task WaitForPutAsync(CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + StartupBound;
        while ((await RunLoadAsync(["--mix", "put=100", "--clients", "1", "--ops", "1"], TimeSpan.Zero, cancellation)).OpsPerSecond == 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{Name} acknowledged no put within {StartupBound.TotalSeconds:0} s");
        }
    }

    private async Task<LoadFigures> RunLoadAsync(string[] load, TimeSpan duration, CancellationToken cancellation)
    {
        using var process = ConsoleProcess.Start(["kv", "load", "--gateway", _silos.Gateways, .. _silos.Ids, .. load, "--json"]);
        // Killed (by the using) when the comparison is interrupted.
        var exit = await process.WaitForExitAsync(duration + TimeSpan.FromMinutes(2)).WaitAsync(cancellation);
        var json = process.Output().Split('\n').LastOrDefault(line => line.StartsWith('{'));
        if (exit != 0 || json is null) throw new InvalidOperationException($"kv load on {Name} exited with {exit}:\n{process.Tail()}");
        using var summary = JsonDocument.Parse(json);
        var root = summary.RootElement;
        return new LoadFigures(
            root.GetProperty("opsPerSecond").GetDouble(),
            root.GetProperty("latencyMsP50").GetDouble(),
            root.GetProperty("latencyMsP99").GetDouble(),
            root.GetProperty("unknown").GetInt64() + root.GetProperty("rejected").GetInt64());
    }

    private static string Text(int number) => number.ToString(CultureInfo.InvariantCulture);
}

/// <summary>How a <see cref="StoreDeployment.WarmUpAsync"/> went: its rounds, its time, and the largest share of the last round any silo spent compiling.</summary>
public sealed record Warmup(int Rounds, TimeSpan Duration, double LastJitShare)
{
    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Rounds} round(s), {Duration.TotalSeconds:0} s, JIT {100 * LastJitShare:0.#} % of the last");
}
