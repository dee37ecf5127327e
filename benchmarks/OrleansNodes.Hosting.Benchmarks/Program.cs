using System.Globalization;
using OrleansNodes.Hosting.Benchmarks;
using OrleansNodes.Hosting.Benchmarks.Grains;
using OrleansNodes.Hosting.Clients;
using OrleansNodes.Hosting.Clusters;
using OrleansNodes.Protocols.KeyValue;

// Three figures per storage profile, measured in one run on one machine so their ratios mean
// something: (a) raw one-way grain messages, (b) puts to one grain that writes per put,
// (c) puts to the 3-replica key-value cluster, which batches: many inputs per write.
// Usage: dotnet run -c Release --project benchmarks/OrleansNodes.Hosting.Benchmarks [seconds per figure] [sessions]
//        ... OrleansNodes.Hosting.Benchmarks metrics [seconds per half] [rounds]   (MetricsCost.cs)
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Length > 0 && args[0] == "metrics") return await MetricsCost.RunAsync(args[1..]);
var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var sessions = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;
var duration = TimeSpan.FromSeconds(seconds);
var tickPeriod = TimeSpan.FromMilliseconds(50);

Console.WriteLine($"# {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}; one in-process silo; {seconds} s per figure; {sessions} closed-loop sessions for (b) and (c); tick {tickPeriod.TotalMilliseconds} ms");
Console.WriteLine();
Console.WriteLine("| storage | (a) one-way msgs/s | (b) single grain puts/s | p50 ms | p99 ms | kv settings | (c) kv x3 puts/s | p50 ms | p99 ms | unknown | (c)/(b) | leader inputs/s | leader writes/s |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
// The state a node persists includes the applied log entries it retains for catching up
// replicas: the default retains 8 (each up to 64 commands); "retain 64" was the old default,
// kept as the comparison that shows what a larger persisted state costs on every write.
(string Name, KeyValueSettings Settings)[] variants =
[
    ("defaults (retain 8)", KeyValueSettings.Default),
    ("retain 64", KeyValueSettings.Default with { RetainedEntriesMax = 64, CatchUpEntriesMax = 64 }),
];
foreach (var profile in new[] { StorageProfile.Memory, StorageProfile.Sqlite })
{
    await using var silo = await BenchSilo.StartAsync(profile, tickPeriod);
    var oneWay = await OneWayAsync(silo.Grains, duration);
    var single = await SingleGrainAsync(silo.Grains, duration, sessions);
    foreach (var (name, settings) in variants)
    {
        var (replicated, leader) = await ReplicatedAsync(silo.Grains, "bench-" + new string([.. name.Where(char.IsLetterOrDigit)]), settings, duration, sessions);
        Console.WriteLine($"| {profile} | {oneWay:N0} | {single.PerSecond:N0} | {single.LatencyMsP50:F1} | {single.LatencyMsP99:F1} | {name} | {replicated.PerSecond:N0} | {replicated.LatencyMsP50:F1} | {replicated.LatencyMsP99:F1} | {replicated.Failed} | {replicated.PerSecond / single.PerSecond:F2} | {leader.Steps / replicated.Elapsed.TotalSeconds:N0} | {leader.Writes / replicated.Elapsed.TotalSeconds:N0} |");
    }
}
return 0;

static async Task<double> OneWayAsync(IGrainFactory grains, TimeSpan duration)
{
    var sender = grains.GetGrain<ISenderGrain>(1);
    await sender.Send(2, TimeSpan.FromSeconds(1), 10_000);
    var before = await grains.GetGrain<IReceiverGrain>(2).Received();
    var started = System.Diagnostics.Stopwatch.GetTimestamp();
    await sender.Send(2, duration, 10_000);
    // Count what arrived, not what was sent: the figure is delivered messages.
    var received = await grains.GetGrain<IReceiverGrain>(2).Received() - before;
    return received / System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
}

static async Task<ClosedLoop.Result> SingleGrainAsync(IGrainFactory grains, TimeSpan duration, int sessions)
{
    var register = grains.GetGrain<IRegisterGrain>("single");
    await ClosedLoop.RunAsync(sessions, TimeSpan.FromSeconds(1), (s, n) => PutAsync(register, s, n));
    return await ClosedLoop.RunAsync(sessions, duration, (s, n) => PutAsync(register, s, n));

    static async Task<bool> PutAsync(IRegisterGrain register, int session, long n)
    {
        await register.Put(Key(session), n.ToString(CultureInfo.InvariantCulture));
        return true;
    }
}

static async Task<(ClosedLoop.Result Load, (long Steps, long Writes) Leader)> ReplicatedAsync(IGrainFactory grains, string cluster, KeyValueSettings settings, TimeSpan duration, int sessions)
{
    var nodes = new NodesClient(grains);
    await nodes.CreateClusterAsync(new ClusterSpec(cluster, "kv", 3, settings));
    var clients = Enumerable.Range(0, sessions).Select(_ => nodes.OpenSession(cluster, TimeSpan.FromSeconds(10))).ToArray();
    // Until the first put is answered there is no leader yet; the election is not what is measured.
    while (await clients[0].SubmitAsync(new KeyValueCommand.Put("warm", "up")) is not RequestOutcome.Replied) { }
    await ClosedLoop.RunAsync(sessions, TimeSpan.FromSeconds(1), (s, n) => PutAsync(clients[s], s, n));
    var before = await nodes.StatusAsync(cluster);
    var load = await ClosedLoop.RunAsync(sessions, duration, (s, n) => PutAsync(clients[s], s, n));
    var after = await nodes.StatusAsync(cluster);
    // The leader is the node that stepped the most; its writes are its persisted versions.
    var leader = after.Nodes.Zip(before.Nodes, (a, b) => (Steps: a.Steps - b.Steps, Writes: a.PersistedVersion - b.PersistedVersion)).MaxBy(n => n.Steps);
    return (load, leader);

    static async Task<bool> PutAsync(ClusterSession session, int index, long n) =>
        await session.SubmitAsync(new KeyValueCommand.Put(Key(index), n.ToString(CultureInfo.InvariantCulture))) is RequestOutcome.Replied;
}

static string Key(int session) => "k" + (session % 16).ToString(CultureInfo.InvariantCulture);
