using System.Diagnostics;
using OrleansNodes.Simulation.Linearizability;
using OrleansNodes.TestServers;

namespace OrleansNodes.Cluster.Benchmarks;

/// <summary>
/// Chaos on one group of three silos under a put load for the whole time: every
/// <see cref="Period"/> a silo picked by a seeded <see cref="Random"/> is SIGKILLed and restarted
/// <see cref="DownFor"/> later on the same ports; after each restart, the time from the restarted
/// silo's readiness (its <c>/status/kv</c> answers) to every node answering status. No fault is
/// injected in the last <see cref="Quiet"/> of the load, so the final reads meet a settled cluster.
/// </summary>
public sealed record ChaosRun(
    int Seed,
    IReadOnlyList<ChaosRun.Restart> Restarts,
    LoadRun? Load,
    FaultFigures? Figures,
    HistoryVerdict? Check,
    string? Problem,
    IReadOnlyList<string> Notes)
{
    /// <summary>Time between kills (longer when a restart and its measurement take longer).</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(10);

    /// <summary>How long a killed silo stays down.</summary>
    public static readonly TimeSpan DownFor = TimeSpan.FromSeconds(5);

    /// <summary>The end of the load without faults.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Keys the chaos load spreads over: more than the other scenarios' 16, because five minutes
    /// of load make a history of about a million operations, and the checker's search per key
    /// grows with the key's operations (with 16 keys it once needed more than this machine's 24 GB).
    /// </summary>
    public const int Keys = 128;

    /// <summary>What counts as slow from a returned silo to every node answering.</summary>
    public static readonly TimeSpan SlowAnswering = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan AnsweringBound = TimeSpan.FromSeconds(60);
    private const int RestartAttempts = 5;

    /// <summary>
    /// One kill and restart: which silo and the nodes it hosted just before, when it was killed
    /// (seconds from the load's first acknowledgment, and Unix microseconds) and was ready again,
    /// after how many start attempts, the seconds from ready to every node answering (null, with
    /// <paramref name="Problem"/>, when that did not happen), and the longest window without an
    /// acknowledged write from this kill to the next (or to the end of the load).
    /// </summary>
    public sealed record Restart(
        int Number,
        int Silo,
        string Nodes,
        double KilledAtSeconds,
        long KilledAtMicros,
        double? ReadyAtSeconds,
        int Attempts,
        double? AllAnsweringSeconds,
        string? Problem,
        double? LongestGapSeconds = null);

    /// <summary>Runs chaos for <paramref name="duration"/> on silos started with <paramref name="siloArguments"/>, picking victims with <paramref name="seed"/>.</summary>
    public static async Task<ChaosRun> MeasureAsync(int seed, TimeSpan duration, string[] siloArguments, int clients, string folder)
    {
        var history = Path.Combine(folder, "chaos.jsonl");
        var random = new Random(seed);
        var restarts = new List<Restart>();
        var notes = new List<string>();
        SiloGroup? group = null;
        ChildProcess? load = null;
        try
        {
            group = await SiloGroup.StartAsync(3, siloArguments);
            await group.WaitForSpreadAsync(StartBound);
            // A few seconds more than the chaos, for the load's first acknowledgment.
            var loadDuration = duration + TimeSpan.FromSeconds(5);
            load = LoadRun.Start(group.Silos.Select(s => s.Gateway), group.Ids, clients, loadDuration, history, FailoverRun.TimeoutMs, finalReads: true, keys: Keys);
            await load.WaitForOutputAsync(LoadRun.FirstAcknowledgedLine, StartBound);
            var clock = Stopwatch.StartNew();
            long? firstKillMicros = null;

            for (var next = Period; next + Quiet <= duration; next = Max(next + Period, clock.Elapsed))
            {
                await DelayUntilAsync(clock, next);
                var index = random.Next(group.Silos.Count);
                var victim = group.Silos[index];
                var nodes = NodesOn(victim, await group.PlacementAsync(TimeSpan.FromSeconds(2)));
                victim.Kill();
                var killedAtMicros = UnixTime.NowMicros();
                firstKillMicros ??= killedAtMicros;
                var killedAt = clock.Elapsed;
                await DelayUntilAsync(clock, killedAt + DownFor);
                var restart = await RestartAsync(new Restart(restarts.Count + 1, index, nodes, killedAt.TotalSeconds, killedAtMicros, null, 0, null, null), victim, group, clock);
                restarts.Add(restart);
                if (restart.Problem is not null) notes.Add($"restart {restart.Number} (silo {index}): {restart.Problem}\n{group.Tails(1500)}");
            }

            var summary = await LoadRun.FinishAsync(load, loadDuration);
            var recorded = HistoryJson.Load(history);
            var figures = FaultFigures.Of(recorded, firstKillMicros ?? summary.StartMicros, summary.EndMicros);
            var windows = restarts.Select((r, i) => r with
            {
                LongestGapSeconds = FaultFigures.Of(recorded, r.KilledAtMicros, i + 1 < restarts.Count ? restarts[i + 1].KilledAtMicros : summary.EndMicros).LongestGapSeconds,
            }).ToList();
            restarts.Clear();
            restarts.AddRange(windows);
            var verdict = HistoryVerdict.Check(recorded);
            if (verdict.Verdict != Verdict.Linearizable) notes.Add($"checker: {verdict.Explanation}\n{group.Tails(1500)}");
            return new ChaosRun(seed, restarts, summary, figures, verdict, null, notes);
        }
        catch (Exception e)
        {
            // Chaos that could not finish says why, with the restarts it measured.
            notes.Add($"chaos not measured: {e.Message}\n{group?.Tails(1500)}\n--- kv load:\n{load?.Tail(1500)}");
            return new ChaosRun(seed, restarts, null, null, null, FailoverRun.FirstLine(e.Message), notes);
        }
        finally
        {
            load?.Dispose();
            group?.Dispose();
            File.Delete(history);
        }
    }

    /// <summary>Restarts a killed silo on its own ports, trying again while the dead process's ports are still held; then times every node answering.</summary>
    private static async Task<Restart> RestartAsync(Restart killed, SiloProcess silo, SiloGroup group, Stopwatch clock)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await silo.StartAsync();
            }
            catch (InvalidOperationException e) when (attempt < RestartAttempts && e.Message.Contains("Address already in use", StringComparison.Ordinal))
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
                continue;
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                return killed with { Attempts = attempt, Problem = $"did not start: {e.Message}" };
            }
            var ready = killed with { ReadyAtSeconds = clock.Elapsed.TotalSeconds, Attempts = attempt };
            try
            {
                await group.WaitForAllAnsweringAsync(AnsweringBound);
                return ready with { AllAnsweringSeconds = clock.Elapsed.TotalSeconds - ready.ReadyAtSeconds };
            }
            catch (TimeoutException e)
            {
                return ready with { Problem = e.Message };
            }
        }
    }

    private static string NodesOn(SiloProcess silo, IReadOnlyList<NodePlace>? places) =>
        places is null ? "? (no status answered)"
        : places.Where(p => p.Silo == silo).Select(p => p.Leader ? $"{p.Node} (leader)" : p.Node).ToList() is { Count: > 0 } nodes ? string.Join(" + ", nodes)
        : "no node";

    private static async Task DelayUntilAsync(Stopwatch clock, TimeSpan at)
    {
        var left = at - clock.Elapsed;
        if (left > TimeSpan.Zero) await Task.Delay(left);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
