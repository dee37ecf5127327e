using System.Diagnostics;
using OrleansNodes.Simulation.Linearizability;
using OrleansNodes.TestServers;

namespace OrleansNodes.Cluster.Benchmarks;

/// <summary>
/// One run of one <see cref="Fault"/>: a fresh group of three silos with the replicas spread (one
/// node per silo), a put load through all three gateways, the fault <see cref="Before"/> after the
/// load's first acknowledged put, and <see cref="After"/> more of load; then what the history
/// shows. <see cref="Problem"/> says why a run measured nothing; <see cref="Notes"/> keep what
/// deserves a look (silo output when the first write took over 3 s, a history that is not
/// linearizable, nodes that did not answer again).
/// </summary>
public sealed record FailoverRun(
    int Number,
    string Victim,
    FaultFigures? Figures,
    HistoryVerdict? Check,
    PauseOutcome? Pause,
    string? Problem,
    IReadOnlyList<string> Notes)
{
    /// <summary>The load before the fault, counted from its first acknowledged put.</summary>
    public static readonly TimeSpan Before = TimeSpan.FromSeconds(8);

    /// <summary>The load after the fault.</summary>
    public static readonly TimeSpan After = TimeSpan.FromSeconds(25);

    /// <summary>How long a SIGSTOPped silo stays stopped.</summary>
    public static readonly TimeSpan PauseLength = TimeSpan.FromSeconds(15);

    /// <summary>The load's <c>--duration</c>: before and after, and a little for its first acknowledgment.</summary>
    public static readonly TimeSpan LoadDuration = Before + After + TimeSpan.FromSeconds(2);

    /// <summary>The load's <c>--timeout-ms</c>.</summary>
    public const int TimeoutMs = 10_000;

    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan AnsweringBound = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SlowFirstWrite = TimeSpan.FromSeconds(3);

    /// <summary>Runs <paramref name="fault"/> once on silos started with <paramref name="siloArguments"/>, the history kept in <paramref name="folder"/> until checked.</summary>
    public static async Task<FailoverRun> MeasureAsync(Fault fault, int number, string[] siloArguments, int clients, string folder)
    {
        var history = Path.Combine(folder, $"{fault}-{number}.jsonl");
        var notes = new List<string>();
        var victimText = "?";
        SiloGroup? group = null;
        ChildProcess? load = null;
        try
        {
            group = await SiloGroup.StartAsync(3, siloArguments);
            await group.WaitForSpreadAsync(StartBound);
            load = LoadRun.Start(group.Silos.Select(s => s.Gateway), group.Ids, clients, LoadDuration, history, TimeoutMs, finalReads: true);
            await load.WaitForOutputAsync(LoadRun.FirstAcknowledgedLine, StartBound);
            await Task.Delay(Before);

            var places = await group.WaitForPlacementAsync(p => p.Any(n => n.Leader && n.Silo is { IsRunning: true }), "a leader on one of the group's silos", TimeSpan.FromSeconds(10));
            var victim = PickVictim(fault, group, places);
            victimText = Describe(group, places, victim);

            long faultMicros;
            PauseOutcome? pause = null;
            if (fault == Fault.PauseLeaderSilo)
            {
                await victim.PauseAsync();
                faultMicros = UnixTime.NowMicros();
                await Task.Delay(PauseLength);
                await victim.ResumeAsync();
                pause = await AwaitAnsweringAsync(group);
            }
            else
            {
                victim.Kill();
                // Taken once the process is gone: an operation invoked later cannot have been served by it.
                faultMicros = UnixTime.NowMicros();
            }

            var summary = await LoadRun.FinishAsync(load, LoadDuration);
            if (pause is not null) pause = pause with { Silo = victim.IsRunning ? "running" : $"exited (code {victim.Process.ExitCode})" };
            var recorded = HistoryJson.Load(history);
            var figures = FaultFigures.Of(recorded, faultMicros, summary.EndMicros);
            var verdict = HistoryVerdict.Check(recorded);

            if (figures.FirstWriteSeconds is not { } first || first > SlowFirstWrite.TotalSeconds)
                notes.Add($"first acknowledged write after the fault: {Seconds(figures.FirstWriteSeconds)}; placement before it: {group.Describe(places)}\n{group.Tails(1500)}");
            if (verdict.Verdict != Verdict.Linearizable)
                notes.Add($"checker: {verdict.Explanation}\n{group.Tails(1500)}");
            if (pause is { AllAnsweringSeconds: null })
                notes.Add($"after SIGCONT: {pause.Problem}\n{group.Tails(1500)}");
            else if (pause is { Silo: not "running" })
                notes.Add($"the resumed silo {pause.Silo}; its last output:\n{victim.Process.Tail(1200)}");
            return new FailoverRun(number, victimText, figures, verdict, pause, null, notes);
        }
        catch (Exception e)
        {
            // A run that could not measure says why; the benchmark goes on with the next one.
            notes.Add($"run {number} not measured: {e.Message}\n{group?.Tails(1500)}\n--- kv load:\n{load?.Tail(1500)}");
            return new FailoverRun(number, victimText, null, null, null, FirstLine(e.Message), notes);
        }
        finally
        {
            load?.Dispose();
            group?.Dispose();
            File.Delete(history);
        }
    }

    /// <summary>A time in seconds as a table cell.</summary>
    public static string Seconds(double? seconds) => seconds is { } s ? $"{s:F2} s" : "none";

    /// <summary>The first line of a message, for a table cell.</summary>
    public static string FirstLine(string text) => text.Split('\n')[0].Trim().Replace("|", "/", StringComparison.Ordinal);

    private static SiloProcess PickVictim(Fault fault, SiloGroup group, IReadOnlyList<NodePlace> places)
    {
        var leader = places.First(p => p.Leader && p.Silo is { IsRunning: true }).Silo!;
        if (fault != Fault.KillFollowerSilo) return leader;
        return group.Silos.FirstOrDefault(s => s != leader && s.IsRunning && places.Any(p => p.Silo == s) && !places.Any(p => p.Silo == s && p.Leader))
            ?? throw new InvalidOperationException($"no silo hosts followers only: {group.Describe(places)}");
    }

    private static string Describe(SiloGroup group, IReadOnlyList<NodePlace> places, SiloProcess victim) =>
        $"silo {group.Silos.ToList().IndexOf(victim)}: {string.Join(" + ", places.Where(p => p.Silo == victim).Select(p => p.Leader ? $"{p.Node} (leader)" : p.Node))}";

    private static async Task<PauseOutcome> AwaitAnsweringAsync(SiloGroup group)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            await group.WaitForAllAnsweringAsync(AnsweringBound);
            return new PauseOutcome("?", watch.Elapsed.TotalSeconds, null);
        }
        catch (TimeoutException e)
        {
            return new PauseOutcome("?", null, e.Message);
        }
    }
}
