using System.Diagnostics;
using System.Globalization;
using OrleansNodes.Cluster.Benchmarks;
using OrleansNodes.Simulation.Linearizability;
using OrleansNodes.TestServers;

// Replicated puts through real processes, as an operator would measure a deployment: silo
// processes (Release) and a `orleansnodes kv load --json` client process, the same load for
// every figure: (a) embedded profile, one silo; (b) redis profile, one silo; (c) redis
// profile, three silos; then (d) recovery: three redis silos under load, the silo hosting the
// leader SIGKILLed and not restarted, with Orleans' default membership timing and a fast one,
// with the replicas where Orleans put them and spread by the experimental rebalancer.
// Usage: dotnet run -c Release --project benchmarks/OrleansNodes.Cluster.Benchmarks -- [seconds per figure] [clients]
// Issue 9's durable-state figures: ... -- durability [keys] [seconds per figure] [profiles, e.g. embedded,redis,azure]
// Failover with replicas spread and Orleans' default membership: ... -- failover [runs] [clients] [chaos-minutes] [seed] (Failover.cs)
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args is ["durability", ..]) return await DurabilityAsync(args[1..]);
if (args is ["failover", ..]) return await Failover.RunAsync(args[1..]);
var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var clients = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 32;
var duration = TimeSpan.FromSeconds(seconds);
var warmUp = TimeSpan.FromSeconds(3);

// An owned server: AOF with fsync on every write, as the redis profile requires.
var redis = RedisServer.Owned();
await redis.InitializeAsync();
try
{
    string[] redisProfile = ["--storage", "redis", "--redis", redis.ConnectionString];

    Console.WriteLine($"# {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}; silo and console processes (Release) on one machine, tick 20 ms");
    Console.WriteLine($"# load: `orleansnodes kv load --mix put=100 --clients {clients} --keys 16 --duration {seconds}` after a {warmUp.TotalSeconds:0} s warm-up; redis-server {redis.ConnectionString} with appendfsync always");
    Console.WriteLine();
    Console.WriteLine("| deployment | puts/s | p50 ms | p99 ms | unknown |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
    foreach (var (name, count, arguments) in new (string, int, string[])[]
    {
        ("(a) embedded (SQLite), 1 silo", 1, []),
        ("(b) redis, 1 silo", 1, redisProfile),
        ("(c) redis, 3 silos", 3, redisProfile),
    })
    {
        using var deployment = await Deployment.StartAsync(count, arguments);
        await LoadRun.RunAsync(deployment.Gateways, deployment.Ids, clients, warmUp);
        var run = await LoadRun.RunAsync(deployment.Gateways, deployment.Ids, clients, duration);
        Console.WriteLine($"| {name} | {run.PutsPerSecond:N0} | {run.LatencyMsP50:F1} | {run.LatencyMsP99:F1} | {run.Unknown} |");
    }

    Console.WriteLine();
    Console.WriteLine("(d) recovery: 3 redis silos under the same load; the silo hosting the leader is SIGKILLed and stays down. Times are from the kill.");
    Console.WriteLine();
    Console.WriteLine("| membership | nodes on the killed silo | puts/s before | declared dead | all nodes answer status again | first acknowledged write | puts/s back to ≥ 50% | unknown after kill |");
    Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    foreach (var (name, membership) in new (string, string[])[]
    {
        ("Orleans defaults (probe 5 s, 3 missed)", []),
        ("probe 1 s, 3 missed", ["--OrleansNodes:Membership:ProbeTimeoutMs", "1000"]),
        // Experimental: replicas spread over the silos by migration (RebalanceMs), so the kill takes one of three.
        ("Orleans defaults, replicas spread (RebalanceMs 1000)", ["--OrleansNodes:RebalanceMs", "1000"]),
        ("probe 1 s, replicas spread (RebalanceMs 1000)", ["--OrleansNodes:Membership:ProbeTimeoutMs", "1000", "--OrleansNodes:RebalanceMs", "1000"]),
    })
    {
        var (placement, recovery, declaredDead, statusBack) = await RecoveryAsync(redis, [.. redisProfile, .. membership], clients, warmUp);
        Console.WriteLine($"| {name} | {placement} | {recovery.BaselinePutsPerSecond:N0} | {Format(declaredDead)} | {Format(statusBack)} | {Format(recovery.FirstWriteSeconds)} | {Format(recovery.HalfThroughputSeconds)} | {recovery.UnknownAfterKill} |");
    }
}
finally
{
    await redis.DisposeAsync();
}
return 0;

static async Task<(string Placement, Recovery Recovery, double? DeclaredDeadSeconds, double? StatusBackSeconds)> RecoveryAsync(RedisServer redis, string[] arguments, int clients, TimeSpan warmUp)
{
    var before = TimeSpan.FromSeconds(10);
    var after = TimeSpan.FromSeconds(45);
    var history = Path.Combine(Path.GetTempPath(), $"orleansnodes-recovery-{Guid.NewGuid():N}.jsonl");
    using var deployment = await Deployment.StartAsync(3, arguments);
    await LoadRun.RunAsync(deployment.Gateways, deployment.Ids, clients, warmUp);

    using var load = LoadRun.Start(deployment.Gateways, deployment.Ids, clients, before + after, history);
    await Task.Delay(before);
    var nodes = await deployment.PlacementAsync(TimeSpan.FromSeconds(5)) ?? [];
    var victim = nodes.FirstOrDefault(n => n.Leader).Silo ?? deployment.Silos[0];
    var onVictim = nodes.Where(n => n.Silo == victim).Select(n => n.Leader ? "leader" : "follower").ToList();
    victim.Kill();
    // Taken once the process is gone: an operation invoked later cannot have been served by it.
    var killedAt = UnixMicrosNow();

    // Membership declares the silo dead in the Redis table; the status answers again once no
    // node is left on the dead silo, i.e. its nodes were activated on the survivors.
    double? declaredDead = null;
    double? statusBack = null;
    var watch = Stopwatch.StartNew();
    while (watch.Elapsed < after && (declaredDead is null || statusBack is null))
    {
        if (declaredDead is null && await MembershipSaysDeadAsync(redis, deployment.Ids[1], victim.SiloPort))
            declaredDead = (UnixMicrosNow() - killedAt) / 1e6;
        if (statusBack is null && await deployment.PlacementAsync(TimeSpan.FromSeconds(2)) is { } now && now.All(n => n.Silo is { IsRunning: true }))
            statusBack = (UnixMicrosNow() - killedAt) / 1e6;
        await Task.Delay(100);
    }
    await LoadRun.FinishAsync(load, before + after);
    var recovery = Recovery.Of(HistoryJson.Load(history), killedAt, after);
    File.Delete(history);
    return (onVictim.Count == 0 ? "none found" : string.Join(" + ", onVictim), recovery, declaredDead, statusBack);
}

// Orleans' Redis membership table: a hash at <ServiceId>/members/<ClusterId> (both are the
// same id here), one field per silo named by its address (S127.0.0.1:PORT:GENERATION) holding
// the entry as JSON.
static async Task<bool> MembershipSaysDeadAsync(RedisServer redis, string id, int siloPort)
{
    var reply = (await redis.CommandAsync($"HGETALL {id}/members/{id}")).Split("\r\n");
    for (var i = 0; i + 2 < reply.Length; i++)
    {
        if (!reply[i].StartsWith($"S127.0.0.1:{siloPort}:", StringComparison.Ordinal)) continue;
        var entry = reply[i + 2];
        return entry.Contains("\"Status\":\"Dead\"", StringComparison.Ordinal) || entry.Contains("\"Status\":6", StringComparison.Ordinal);
    }
    return false;
}

static async Task<int> DurabilityAsync(string[] args)
{
    var keys = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
    var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
    var profiles = args.Length > 2 ? args[2].Split(',') : ["embedded", "redis", "azure"];
    var idle = TimeSpan.FromSeconds(30);
    var redis = RedisServer.Owned();
    var azurite = new AzuriteServer();
    if (profiles.Contains("redis")) await redis.InitializeAsync();
    if (profiles.Contains("azure")) await azurite.InitializeAsync();
    try
    {
        Console.WriteLine($"# {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}; one silo process (Release, tick 20 ms), cluster kv of 3 replicas");
        Console.WriteLine($"# load: `kv load --mix put=100 --clients 32 --keys 16 --value-bytes 100 --duration {seconds}`, on an empty store and after `--preload {keys}` (100-byte values); idle: {idle.TotalSeconds:0} s with no client");
        Console.WriteLine();
        Console.WriteLine("| profile | puts/s empty | puts/s full | full / empty | bytes/flush empty | bytes/flush full | of which log, empty / full | snapshots in the full window | preload | idle writes/s | restart empty | restart full | RSS empty | RSS full | RSS after restart | snapshot |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var profile in profiles)
        {
            string[] arguments = profile switch
            {
                "redis" => ["--storage", "redis", "--redis", redis.ConnectionString],
                "azure" => ["--storage", "azure", "--OrleansNodes:AzureStorage:ConnectionString", azurite.ConnectionString],
                _ => [],
            };
            var f = await Durability.MeasureAsync(profile, arguments, keys, TimeSpan.FromSeconds(seconds), idle);
            Console.WriteLine($"| {f.Profile} | {f.EmptyPutsPerSecond:N0} | {f.FullPutsPerSecond:N0} | {f.FullPutsPerSecond / f.EmptyPutsPerSecond:F2} | {f.EmptyBytesPerFlush:N0} | {f.FullBytesPerFlush:N0} | {f.EmptyLogBytesPerFlush:N0} / {f.FullLogBytesPerFlush:N0} | {f.SnapshotsInFullWindow} | {f.PreloadSeconds:N0} s | {f.IdleWritesPerSecond:F1} | {f.EmptyRestartSeconds:F1} s | {f.FullRestartSeconds:F1} s | {Mb(f.EmptyRssBytes)} | {Mb(f.FullRssBytes)} | {Mb(f.FullRecoveredRssBytes)} | {Mb(f.SnapshotBytes)} |");
        }
        var raw = keys * (ValueBytesOf() + $"p{keys}".Length);
        Console.WriteLine();
        Console.WriteLine($"raw data: {keys:N0} keys × (key + 100-byte value) = {Mb(raw)}; memory per node = (RSS after restart − RSS empty) / 3 replicas");
    }
    finally
    {
        await redis.DisposeAsync();
        await azurite.DisposeAsync();
    }
    return 0;

    static long ValueBytesOf() => 100;
}

static string Mb(long bytes) => $"{bytes / 1e6:N0} MB";

static long UnixMicrosNow() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;

static string Format(double? seconds) => seconds is { } s ? $"{s:F1} s" : "not within 45 s";
