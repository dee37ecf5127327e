using System.Globalization;
using OrleansNodes.Benchmarks;
using OrleansNodes.Benchmarks.Etcd;
using OrleansNodes.Protocols.KeyValue;
using OrleansNodes.Protocols.Paxos;
using OrleansNodes.Simulation;
using OrleansNodes.Workloads;

// Release-mode measurements for docs/BENCHMARKS.md. Each figure is printed next to the baseline
// it is compared with, measured in the same run: shared machines are noisy, ratios less so.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
// "etcd" (issue 12) starts etcd, silos and redis-server and runs for minutes: never part of "all".
string[] known = ["all", "sim", "mutants", "shrink", "checker", "store", "explore", "explore-mutants", "explore-kv-mutants", "explore-crash", "apply", "etcd"];
var which = args.Length > 0 ? args[0] : "all";
if (!known.Contains(which))
{
    Console.Error.WriteLine($"error: unknown benchmark '{which}'; use one of {string.Join(", ", known)}");
    return 2;
}
if (which == "etcd") return await EtcdComparison.RunAsync(args[1..]);

Console.WriteLine($"# {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, one thread");

if (which is "all" or "sim")
{
    var options = SimulationOptions.Default with { Nodes = 5, Steps = 2_000, Faults = FaultKinds.All, Shrink = false, SaveSchedule = false };
    Print(SimulatorThroughput.Run("paxos, 5 nodes, all faults, 2,000 steps x 200 seeds", Simulator.Create(new SingleDecreePaxos(), PaxosSettings.Default), options, seeds: 200, rounds: 5));

    // The store with 3 clients x 8 operations per run (the history is checked for linearizability
    // at the end of every run, inside the simulator's time) and the console's compact settings.
    var kvSettings = KeyValueSettings.SmallWindows;
    foreach (var nodes in new[] { 3, 5 })
    {
        var kv = Simulator.Create(new KeyValueProtocol(), kvSettings).WithWorkload(KeyValueClients.Factory(clients: 3, operationsPerClient: 8));
        Print(SimulatorThroughput.Run($"kv, {nodes} replicas, 3 clients, all faults, 1,000 steps x 100 seeds", kv, options with { Nodes = nodes, Steps = 1_000 }, seeds: 100, rounds: 5));
    }
}

if (which is "all" or "mutants")
{
    foreach (var r in MutantTiming.Run(hunts: 11, maxSeeds: 20_000))
        Console.WriteLine($"mutant {r.Mutant}: found in {r.Found}/{r.Hunts} hunts | median {r.MedianRuns:N0} runs, {r.MedianSteps:N0} steps, {r.MedianFind.TotalMilliseconds:N0} ms to find, {r.MedianFindAndShrink.TotalMilliseconds:N0} ms with shrinking | median shrunk schedule {r.MedianShrunkDecisions} decisions | property: {r.Property}");
}

if (which is "all" or "shrink")
{
    // `shrink NAME` measures only the mutants whose name contains NAME.
    foreach (var r in ShrinkLengths.Run(findings: 3, only: args.Length > 1 ? args[1] : null))
        Console.WriteLine($"shrink {r.Mutant} seed {r.Seed}: {r.Original} -> {r.Shrunk} decisions | {r.Signature} | {r.Kinds}");
}

if (which is "all" or "checker")
{
    foreach (var timeouts in new[] { 0, 20 })
    {
        var (generate, check, verdict, steps) = CheckerTiming.Generated(100_000, 100, 10, timeouts);
        Console.WriteLine($"checker: 100,000 ops, 100 keys, 10 clients, {timeouts / 10.0:0.#}% timeouts: check {check.TotalMilliseconds:N0} ms ({verdict}, {steps:N0} search steps) | generating it: {generate.TotalMilliseconds:N0} ms");
    }
    var corpus = CheckerTiming.Corpus();
    Console.WriteLine($"checker corpus: {corpus.Files} files, verdicts only {corpus.VerdictsOnly.TotalMilliseconds:N0} ms, with shrinking and explanations {corpus.WithExplanations.TotalMilliseconds:N0} ms | slowest file {corpus.Slowest}: {corpus.SlowestTime.TotalMilliseconds:N0} ms | verdicts differing from verdicts.tsv: {corpus.Mismatches}");
}

if (which is "all" or "explore")
{
    foreach (var line in ExploreThroughput.Run()) Console.WriteLine(line);
}

if (which is "explore-crash")
{
    foreach (var line in ExploreCrashMutants.Run()) Console.WriteLine(line);
}

if (which is "all" or "explore-mutants")
{
    foreach (var line in ExploreMutants.Run()) Console.WriteLine(line);
}

if (which is "all" or "explore-kv-mutants")
{
    foreach (var line in ExploreKeyValueMutants.Run()) Console.WriteLine(line);
}

if (which is "all" or "store")
{
    foreach (var r in StoreScale.Run([10_000, 100_000, 1_000_000], replayPuts: 500_000))
        Console.WriteLine($"store {r.Keys:N0} keys of 100 B: heap {r.HeapBytesPerKey:N0} B/key ({r.HeapBytesPerKey / r.RawBytesPerKey:F1}x the raw {r.RawBytesPerKey:N0} B) | snapshot cut and serialized {r.Snapshot.TotalMilliseconds:N0} ms ({r.SnapshotBytes / 1e6:N1} MB) | decoded and rebuilt {r.Rebuild.TotalMilliseconds:N0} ms | {r.ReplayedPuts:N0} logged puts decoded and replayed on it {r.Replay.TotalMilliseconds:N0} ms");
}

if (which is "all" or "apply")
{
    foreach (var r in ApplyCost.Run([100, 1_024, 10_240], keys: 100_000, puts: 64 * 1_000))
        Console.WriteLine($"apply a put of {r.ValueBytes:N0} B on a store of {r.Keys:N0} keys: fingerprint {r.FingerprintMicroseconds:N2} µs | whole apply {r.ApplyMicroseconds:N2} µs | a copy of the value {r.CopyMicroseconds:N2} µs | fingerprint / copy x{r.FingerprintMicroseconds / r.CopyMicroseconds:F1}, apply / copy x{r.ApplyMicroseconds / r.CopyMicroseconds:F1}");
}

return 0;

static void Print(SimulatorThroughput.Result r) =>
    Console.WriteLine($"sim {r.Name}: {r.Steps:N0} steps ({r.Deliveries:N0} deliveries) | simulator {r.StepsPerSecond:N0} steps/s ({r.DeliveriesPerSecond:N0} deliveries/s) | bare Step loop {r.BareStepsPerSecond:N0} steps/s | simulator/bare time x{r.Overhead:F1}");
