using System.Globalization;
using OrleansNodes.Simulation.Linearizability;
using OrleansNodes.TestServers;

namespace OrleansNodes.Cluster.Benchmarks;

/// <summary>
/// The failover benchmark (mode <c>failover [runs] [clients] [chaos-minutes] [seed]</c>): three
/// redis-profile silos with the replicas of cluster <c>kv</c> spread one per silo and Orleans'
/// membership settings as shipped, under a put load, through (1) SIGKILL of the leader's silo,
/// (2) SIGKILL of a follower's silo, (3) SIGSTOP of the leader's silo for 15 s, each over fresh
/// groups; (4) chaos, a random silo killed and restarted every 10 s; and (5) the throughput of
/// the spread deployment against all three replicas in one silo. Prints markdown tables for
/// docs/BENCHMARKS.md: one row per run and a summary per scenario; a run that could not measure
/// something shows "n/a" and why, and the benchmark goes on.
/// </summary>
public static class Failover
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan ThroughputDuration = TimeSpan.FromSeconds(20);

    /// <summary>Runs the benchmark with the mode's arguments (after <c>failover</c>).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var clients = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 32;
        var chaosMinutes = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 5;
        // Seeds the choice of the silos chaos kills; printed, so that the same order can be replayed.
        var seed = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : Random.Shared.Next(1, 1_000_000);

        var redis = RedisServer.Owned();
        var folder = Directory.CreateTempSubdirectory("orleansnodes-failover-").FullName;
        try
        {
            await redis.InitializeAsync();
            // The redis profile and nothing else: Orleans' membership settings as shipped.
            string[] silos = ["--storage", "redis", "--redis", redis.ConnectionString];
            var command = "orleansnodes " + string.Join(" ", LoadRun.Arguments(
                "<the 3 gateways>", ["--cluster-id", "<fresh>", "--service-id", "<fresh>"], clients, FailoverRun.LoadDuration, "<file>", FailoverRun.TimeoutMs, finalReads: true));
            Console.WriteLine($"# failover: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}; 3 silo processes (Release, tick 20 ms, redis profile, Orleans' default membership settings, replicas spread one per silo) and one console process on one machine; redis-server with appendfsync always");
            Console.WriteLine($"# load: `{command}`; the fault {FailoverRun.Before.TotalSeconds:0} s after `{LoadRun.FirstAcknowledgedLine}`, then ~{FailoverRun.After.TotalSeconds:0} s more; {runs} run(s) per scenario, each on a fresh group of 3 silos");
            Console.WriteLine();

            // 0 runs: chaos and throughput only.
            if (runs > 0)
            {
                await FaultScenarioAsync("1. SIGKILL of the silo hosting the leader (it stays down); times from the kill", Fault.KillLeaderSilo, runs, silos, clients, folder);
                await FaultScenarioAsync("2. SIGKILL of a silo hosting followers only (it stays down); times from the kill; goal: no window over 0.5 s without an acknowledged write", Fault.KillFollowerSilo, runs, silos, clients, folder);
                await FaultScenarioAsync($"3. SIGSTOP of the silo hosting the leader for {FailoverRun.PauseLength.TotalSeconds:0} s, then SIGCONT; times from the SIGSTOP", Fault.PauseLeaderSilo, runs, silos, clients, folder);
            }

            await ChaosAsync(seed, TimeSpan.FromMinutes(chaosMinutes), runs, silos, clients, folder, args);
            await ThroughputAsync(silos, clients);
        }
        finally
        {
            await redis.DisposeAsync();
            TempFolder.TryDelete(folder);
        }
        return 0;
    }

    private static async Task FaultScenarioAsync(string title, Fault fault, int runs, string[] silos, int clients, string folder)
    {
        var pause = fault == Fault.PauseLeaderSilo;
        Console.WriteLine($"### {title}");
        Console.WriteLine();
        Console.WriteLine($"| run | fault on | puts/s before | first acknowledged write invoked after | longest window without an acknowledged write | unknown outcomes invoked after | final reads answered | linearizable | acknowledged writes lost |{(pause ? " resumed silo | all nodes answer after SIGCONT |" : "")}");
        Console.WriteLine($"| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |{(pause ? " --- | ---: |" : "")}");
        var results = new List<FailoverRun>();
        for (var number = 1; number <= runs; number++)
        {
            var run = await FailoverRun.MeasureAsync(fault, number, silos, clients, folder);
            results.Add(run);
            Console.WriteLine(Row(run, pause));
        }
        Console.WriteLine();
        var measured = results.Where(r => r.Figures is not null).ToList();
        var figures = measured.Select(r => r.Figures!).ToList();
        var firstWrites = figures.Select(f => f.FirstWriteSeconds).OfType<double>().ToList();
        var gaps = figures.Select(f => f.LongestGapSeconds).ToList();
        var unknown = figures.Select(f => (double)f.UnknownAfter).ToList();
        var summary = $"Summary, {measured.Count} of {runs} run(s) measured: first acknowledged write {Spread(firstWrites)}"
            + (firstWrites.Count < figures.Count ? $" ({figures.Count - firstWrites.Count} run(s) without one)" : "")
            + $"; longest window without an acknowledged write {Spread(gaps)}"
            + (fault == Fault.KillFollowerSilo ? $" (≤ 0.5 s in {gaps.Count(g => g <= 0.5)} of {gaps.Count})" : "")
            + $"; unknown outcomes after the fault median {Median(unknown):0}, worst {(unknown.Count > 0 ? unknown.Max() : 0):0}, total {unknown.Sum():0}"
            + $"; linearizable {measured.Count(r => r.Check!.Verdict == Verdict.Linearizable)} of {measured.Count}, not linearizable {measured.Count(r => r.Check!.Verdict == Verdict.NotLinearizable)}"
            + $"; acknowledged writes lost: 0 in the {measured.Count(r => r.Check!.Verdict == Verdict.Linearizable)} linearizable run(s)";
        if (pause)
        {
            var answering = measured.Select(r => r.Pause!.AllAnsweringSeconds).OfType<double>().ToList();
            summary += $"; resumed silo running in {measured.Count(r => r.Pause!.Silo == "running")}, exited in {measured.Count(r => r.Pause!.Silo.StartsWith("exited", StringComparison.Ordinal))}"
                + $"; all nodes answering after SIGCONT {Spread(answering)}, not within 60 s in {measured.Count(r => r.Pause!.AllAnsweringSeconds is null)}";
        }
        Console.WriteLine(summary + ".");
        PrintNotes(results.SelectMany(r => r.Notes));
        Console.WriteLine();
    }

    private static string Row(FailoverRun run, bool pause)
    {
        if (run.Figures is not { } f || run.Check is not { } verdict)
            return $"| {run.Number} | {run.Victim} | n/a: {run.Problem} | n/a | n/a | n/a | n/a | n/a | n/a |{(pause ? " n/a | n/a |" : "")}";
        var row = $"| {run.Number} | {run.Victim} | {f.PutsPerSecondBefore:N0} | {FailoverRun.Seconds(f.FirstWriteSeconds)} | {f.LongestGapSeconds:F2} s | {f.UnknownAfter} | {f.FinalReadsAnswered}/{f.Keys} | {verdict.Cell} | {verdict.LostCell} |";
        if (pause && run.Pause is { } p)
            row += $" {p.Silo} | {(p.AllAnsweringSeconds is { } s ? $"{s:F2} s" : "not within 60 s")} |";
        return row;
    }

    private static async Task ChaosAsync(int seed, TimeSpan duration, int runs, string[] silos, int clients, string folder, string[] args)
    {
        Console.WriteLine($"### 4. Chaos, {duration.TotalMinutes:0.#} min: every {ChaosRun.Period.TotalSeconds:0} s (or as soon as the previous restart was measured) SIGKILL of a random silo, restarted {ChaosRun.DownFor.TotalSeconds:0} s later on the same ports; no fault in the last {ChaosRun.Quiet.TotalSeconds:0} s; the load on {ChaosRun.Keys} keys");
        Console.WriteLine();
        Console.WriteLine($"Seed {seed} (replay the same choice of silos: `dotnet run -c Release --project benchmarks/OrleansNodes.Cluster.Benchmarks -- failover {runs} {clients} {duration.TotalMinutes:0.##} {seed}`).");
        Console.WriteLine();
        var chaos = await ChaosRun.MeasureAsync(seed, duration, silos, clients, folder);
        var answering = chaos.Restarts.Select(r => r.AllAnsweringSeconds).OfType<double>().ToList();
        Console.WriteLine("| restarts | all nodes answer after a silo returned: median | worst | over 5 s | not within 60 s or not restarted | ops | unknown outcomes | longest window without an acknowledged write | final reads answered | linearizable |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        var restartCells = $"| {chaos.Restarts.Count} | {(answering.Count > 0 ? $"{Median(answering):F2} s" : "n/a")} | {(answering.Count > 0 ? $"{answering.Max():F2} s" : "n/a")} | {answering.Count(s => s > ChaosRun.SlowAnswering.TotalSeconds)} | {chaos.Restarts.Count(r => r.AllAnsweringSeconds is null)} |";
        Console.WriteLine(chaos.Load is { } load && chaos.Figures is { } f && chaos.Check is { } verdict
            ? $"{restartCells} {load.Ops:N0} | {load.Unknown} | {f.LongestGapSeconds:F2} s | {f.FinalReadsAnswered}/{f.Keys} | {verdict.Cell} |"
            : $"{restartCells} n/a: {chaos.Problem} | n/a | n/a | n/a | n/a |");
        Console.WriteLine();
        Console.WriteLine("Times from the load's first acknowledged put:");
        Console.WriteLine();
        foreach (var r in chaos.Restarts)
        {
            var outcome = r.ReadyAtSeconds is { } ready
                ? $"ready at {ready:F1} s ({r.Attempts} attempt(s)), all nodes answering {(r.AllAnsweringSeconds is { } s ? $"{s:F2} s later" : $"n/a: {FailoverRun.FirstLine(r.Problem ?? "")}")}"
                : $"n/a: not restarted after {r.Attempts} attempt(s): {FailoverRun.FirstLine(r.Problem ?? "")}";
            var window = r.LongestGapSeconds is { } gap ? $"; longest window without an acknowledged write until the next kill {gap:F2} s" : "";
            Console.WriteLine($"- restart {r.Number}: silo {r.Silo} ({r.Nodes}) killed at {r.KilledAtSeconds:F1} s, {outcome}{window}");
        }
        PrintNotes(chaos.Notes);
        Console.WriteLine();
    }

    private static async Task ThroughputAsync(string[] silos, int clients)
    {
        Console.WriteLine($"### 5. Throughput: the same put load (`--clients {clients} --keys 16 --mix put=100`, no history), {ThroughputDuration.TotalSeconds:0} s after a {WarmUp.TotalSeconds:0} s warm-up");
        Console.WriteLine();
        Console.WriteLine("| deployment | puts/s | p50 ms | p99 ms | unknown |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        var notes = new List<string>();
        var spread = await ThroughputRowAsync("redis, 3 silos, replicas spread (the default)", 3, silos, clients, notes);
        var single = await ThroughputRowAsync("redis, 1 silo (all three replicas in one process)", 1, silos, clients, notes);
        PrintNotes(notes);
        Console.WriteLine();
        Console.WriteLine(spread is not null && single is not null
            ? $"spread / one silo = {spread.PutsPerSecond / single.PutsPerSecond:F2}."
            : "spread / one silo: n/a (a deployment was not measured).");
        Console.WriteLine();
    }

    private static async Task<LoadRun?> ThroughputRowAsync(string name, int count, string[] silos, int clients, List<string> notes)
    {
        SiloGroup? group = null;
        try
        {
            group = await SiloGroup.StartAsync(count, silos);
            if (count > 1) await group.WaitForSpreadAsync(TimeSpan.FromSeconds(90));
            else await group.WaitForAllAnsweringAsync(TimeSpan.FromSeconds(90));
            var gateways = group.Silos.Select(s => s.Gateway).ToList();
            await LoadRun.RunAsync(gateways, group.Ids, clients, WarmUp, timeoutMs: FailoverRun.TimeoutMs);
            var run = await LoadRun.RunAsync(gateways, group.Ids, clients, ThroughputDuration, timeoutMs: FailoverRun.TimeoutMs);
            Console.WriteLine($"| {name} | {run.PutsPerSecond:N0} | {run.LatencyMsP50:F1} | {run.LatencyMsP99:F1} | {run.Unknown} |");
            return run;
        }
        catch (Exception e)
        {
            // Not measured: say why and go on.
            Console.WriteLine($"| {name} | n/a: {FailoverRun.FirstLine(e.Message)} | n/a | n/a | n/a |");
            notes.Add($"{name} not measured: {e.Message}\n{group?.Tails(1500)}");
            return null;
        }
        finally
        {
            group?.Dispose();
        }
    }

    private static void PrintNotes(IEnumerable<string> notes)
    {
        foreach (var note in notes)
        {
            Console.WriteLine();
            Console.WriteLine("```");
            Console.WriteLine(note.TrimEnd());
            Console.WriteLine("```");
        }
    }

    private static string Spread(IReadOnlyList<double> seconds) =>
        seconds.Count == 0 ? "n/a" : $"median {Median(seconds):F2} s, worst {seconds.Max():F2} s";

    private static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return 0;
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
