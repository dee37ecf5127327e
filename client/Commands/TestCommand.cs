using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using OrleansNodes.Client.Load;
using OrleansNodes.Client.Remote;
using OrleansNodes.Client.Testing;
using OrleansNodes.Simulation.Linearizability;
using Spectre.Console;
using Command = System.CommandLine.Command;

namespace OrleansNodes.Client.Commands;

/// <summary>
/// <c>orleansnodes test</c>: a Jepsen-style run from one command. It starts its own cluster of
/// silo processes on loopback (or targets running silos with <c>--gateway</c>), loads the default
/// key-value cluster as <c>kv load</c> does while a nemesis kills, freezes and restarts silos and
/// kills the storage server on a schedule, reads every key at the end, checks the history for
/// linearizability, counts acknowledged writes lost, and writes a self-contained HTML report.
/// Exit 0 when the history is linearizable and nothing acknowledged was lost, 1 when not, 2 on
/// bad input, 3 when the cluster could not be started or reached, 4 when the checker could not
/// decide, 130 when Ctrl+C or SIGTERM cut it short (143 when it then needed more than
/// <see cref="Cli.TerminationGrace"/> to finish, after SIGTERM). Every process it started ends with it.
/// </summary>
public static class TestCommand
{
    /// <summary>The report's file when <c>--report</c> is not given.</summary>
    public const string DefaultReport = "orleansnodes-test.html";

    /// <summary>The most silos a local cluster may have.</summary>
    public const int MaxSilos = 9;

    // How often the run says how it is going, on standard error.
    private static readonly TimeSpan ProgressPeriod = TimeSpan.FromSeconds(5);

    /// <summary>Builds the command.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var silos = new Option<int?>("--silos") { HelpName = "N", Description = $"Start N silo processes on loopback (1 to {MaxSilos}; default 3)." };
        OptionRules.Range(silos, 1, MaxSilos);
        var storage = new Option<string?>("--storage") { HelpName = "PROFILE", Description = "embedded (one silo, SQLite) or redis (starts redis-server); default redis for more than one silo." };
        storage.AcceptOnlyFromAmong("embedded", "redis");
        var silo = new Option<string?>("--silo") { HelpName = "PATH", Description = $"The silo to start: orleansnodes-silo.dll or an executable (default: ${SiloLocator.Variable}, the silo built beside this console, or orleansnodes-silo on the PATH)." };
        var duration = new Option<double>("--duration") { HelpName = "SECONDS", Description = "How long the load runs.", DefaultValueFactory = _ => 60 };
        OptionRules.Require(duration, v => v is >= 5 and <= 3600, "--duration must be from 5 to 3600 seconds");
        var clients = new Option<int>("--clients") { HelpName = "N", Description = "Concurrent client sessions.", DefaultValueFactory = _ => 8 };
        OptionRules.Range(clients, 1, 256);
        var keys = new Option<int>("--keys") { HelpName = "N", Description = "Keys k0..k{N-1} the operations spread over.", DefaultValueFactory = _ => 16 };
        OptionRules.Range(keys, 1, 10_000);
        var mix = new Option<string>("--mix") { HelpName = "KIND=WEIGHT,...", Description = "Weights of the operation kinds, as kv load takes them.", DefaultValueFactory = _ => LoadMix.Default.ToString() };
        mix.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && LoadMix.Parse(result.Tokens[^1].Value, out var error) is null) result.AddError(error!);
        });
        var rate = KvLoadCommand.RateOption();
        var seed = new Option<ulong>("--seed") { HelpName = "N", Description = "Seeds the operations and the nemesis' choice of silos.", DefaultValueFactory = _ => 1 };
        var nemesis = new Option<string?>("--nemesis") { HelpName = "FAULT,...", Description = "Faults to cycle through: kill, pause, restart, storage-kill, or none (default kill,pause,restart; none with --gateway)." };
        nemesis.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && FaultKinds.Parse(result.Tokens[^1].Value, out var error) is null) result.AddError(error!);
        });
        var interval = new Option<double>("--interval") { HelpName = "SECONDS", Description = "Time from one fault's start to the next's.", DefaultValueFactory = _ => 10 };
        OptionRules.Require(interval, v => v >= NemesisPlan.MinInterval.TotalSeconds && v <= 3600, $"--interval must be from {NemesisPlan.MinInterval.TotalSeconds:0} to 3600 seconds");
        var faultSeconds = new Option<double?>("--fault-seconds") { HelpName = "SECONDS", Description = "How long a silo stays killed or frozen, or the storage server down (default half the interval)." };
        var report = new Option<FileInfo>("--report") { HelpName = "FILE", Description = $"Where to write the HTML report (default {DefaultReport}).", DefaultValueFactory = _ => new FileInfo(DefaultReport) };
        report.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<FileInfo>() is { } file && (Directory.Exists(file.FullName) || !Directory.Exists(file.DirectoryName)))
                result.AddError($"--report {file}: {(Directory.Exists(file.FullName) ? "is a directory" : "its folder does not exist")}");
        });
        var work = new Option<DirectoryInfo?>("--work") { HelpName = "DIR", Description = "Where the silos keep their data and output (default: a new temporary folder, removed after a passing run)." };
        var json = new Option<bool>("--json") { Description = "Print the summary as one JSON object." };

        var command = new Command("test", "Load a cluster while a nemesis breaks it, check the history, and write an HTML report.")
        {
            silos, storage, silo, duration, clients, keys, mix, rate, seed, nemesis, interval, faultSeconds, report, work, json,
        };
        var remote = new RemoteOptions();
        remote.AddTo(command);
        var output = OutputOption.Create(command);
        command.Validators.Add(result =>
        {
            // A value that does not convert (or is not among the choices) is its own error: absent here.
            T? Value<T>(Option<T> option)
            {
                try
                {
                    return result.GetResult(option) is { } given ? given.GetValueOrDefault<T>() : default;
                }
                catch (InvalidOperationException)
                {
                    return default;
                }
            }
            var gateway = remote.HasGateways(result);
            var faults = Value(nemesis) is { } faultText ? FaultKinds.Parse(faultText, out _) : null;
            var siloCount = Value(silos);
            var profile = Value(storage);
            if (siloCount is not null && gateway)
                result.AddError("give --silos (a cluster of its own) or --gateway (running silos), not both");
            if (gateway && faults is { Count: > 0 })
                result.AddError("the nemesis needs silos this command started: with --gateway, --nemesis must be none");
            if (profile == "embedded" && siloCount is > 1)
                result.AddError("--storage embedded runs one silo; use --storage redis for more");
            if (faults is not null && faults.Contains(FaultKind.StorageKill) && (profile == "embedded" || siloCount == 1 && profile is null))
                result.AddError("storage-kill needs --storage redis (the embedded store is inside the silo)");
            if (Value(faultSeconds) is { } length && (length <= 0 || length >= (result.GetResult(interval) is null ? 10 : Value(interval))))
                result.AddError("--fault-seconds must be more than 0 and less than --interval");
        });

        command.SetAction((parse, cancellation) =>
        {
            var local = !remote.HasGateways(parse);
            var siloCount = parse.GetValue(silos) ?? 3;
            var run = new Run(
                local ? siloCount : null,
                local ? parse.GetValue(storage) ?? (siloCount > 1 ? "redis" : "embedded") : null,
                FaultKinds.Parse(parse.GetValue(nemesis) ?? (local ? "kill,pause,restart" : "none"), out _)!,
                TimeSpan.FromSeconds(parse.GetValue(interval)),
                TimeSpan.FromSeconds(parse.GetValue(faultSeconds) ?? parse.GetValue(interval) / 2),
                new LoadSpec(parse.GetValue(clients), parse.GetValue(keys), LoadMix.Parse(parse.GetValue(mix)!, out _)!, parse.GetValue(seed),
                    TimeSpan.FromSeconds(parse.GetValue(duration)), Ops: null, FinalReads: true, Rate: parse.GetValue(rate)),
                parse.GetValue(report)!.FullName,
                parse.GetValue(json) || parse.IsJson(output));
            return local
                ? RunLocalAsync(console, run, parse.GetValue(silo), parse.GetValue(work)?.FullName, remote.Read(parse).Timeout, cancellation)
                : RunAgainstAsync(console, run, remote.Read(parse), cancellation);
        });
        return command;
    }

    private sealed record Run(int? Silos, string? Storage, IReadOnlyList<FaultKind> Faults, TimeSpan Interval, TimeSpan FaultLength, LoadSpec Load, string Report, bool Json);

    private static async Task<int> RunLocalAsync(IAnsiConsole console, Run run, string? siloPath, string? workPath, TimeSpan timeout, CancellationToken cancellation)
    {
        var launch = SiloLocator.Find(siloPath);
        var folder = workPath ?? Directory.CreateTempSubdirectory("orleansnodes-test-").FullName;
        Say($"test: starting {run.Silos} silo(s), storage {run.Storage}, in {folder}");
        int exitCode;
        await using (var cluster = await LocalCluster.StartAsync(launch, run.Silos!.Value, run.Storage == "redis", folder, cancellation))
        {
            // Ctrl+C or SIGTERM: the console ends within seconds whatever the run is doing; no
            // silo or redis-server it started may outlive it.
            using var killOnCancel = cancellation.Register(cluster.KillAll);
            var target = new SiloTarget(
                [.. cluster.Gateways.Split(',').Select(text => RemoteOptions.ParseGateways(text, out _)!.Value[0])],
                cluster.ClusterId, cluster.ClusterId, timeout);
            var plan = NemesisPlan.Create(run.Faults, run.Interval, run.FaultLength, run.Load.Duration!.Value, cluster.Count, run.Load.Seed);
            exitCode = await SiloConnection.RunAsync(target, (silo, token) => LoadAndCheckAsync(console, run, silo, cluster, plan, launch.ToString(), token), cancellation);
        }
        if (workPath is null && exitCode == ExitCodes.Ok) Directory.Delete(folder, recursive: true);
        else Say($"test: the silos' data and output are in {folder}");
        return exitCode;
    }

    private static Task<int> RunAgainstAsync(IAnsiConsole console, Run run, SiloTarget target, CancellationToken cancellation) =>
        SiloConnection.RunAsync(target, (silo, token) => LoadAndCheckAsync(console, run, silo, cluster: null, plan: [], target.GatewayText, token), cancellation);

    private static async Task<int> LoadAndCheckAsync(IAnsiConsole console, Run run, SiloConnection silo, LocalCluster? cluster, IReadOnlyList<PlannedFault> plan, string where, CancellationToken cancellation)
    {
        await ClusterOption.RequireAsync(silo, "kv", KvCommand.Protocol);
        var recorder = new LoadRecorder { FirstAcknowledged = () => Say(KvLoadCommand.FirstAcknowledgedLine) };
        var generator = new LoadGenerator(silo.Nodes, "kv", silo.Target.Timeout);
        var nemesis = cluster is null ? null : new Nemesis(cluster, recorder.NowMicros);
        var startMicros = recorder.NowMicros();
        Say($"test: {run.Load.Duration!.Value.TotalSeconds:0} s of load on {where}, {plan.Count} fault(s) planned");

        using var stopNemesis = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        // A fault that cannot be healed (a silo that will not start again) ends the load: the
        // cluster is no longer the one planned, and the run ends with that error.
        using var stopLoad = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var faults = nemesis?.RunAsync(plan, run.Load.Duration!.Value - run.Interval, stopNemesis.Token) ?? Task.CompletedTask;
        _ = faults.ContinueWith(_ => stopLoad.Cancel(), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        using var progress = new PeriodicTimer(ProgressPeriod);
        var reporting = ReportProgressAsync(progress, recorder, nemesis, startMicros);
        LoadSummary summary;
        try
        {
            summary = await generator.RunAsync(run.Load, recorder, historyPath: null, stopLoad.Token, checkable: true);
        }
        finally
        {
            progress.Dispose();
            await reporting;
        }
        // The plan ends before the load does; what is left (after Ctrl+C) is cut short, thawing any frozen silo.
        await stopNemesis.CancelAsync();
        try
        {
            await faults;
        }
        catch (OperationCanceledException) when (stopNemesis.IsCancellationRequested)
        {
        }

        var history = recorder.History();
        Say($"test: checking {history.Count:N0} operations");
        var check = LinearizabilityChecker.Check(history, KeyValueModel.Instance, CheckOptions.Default);
        var outcome = new TestOutcome(
            Parameters(run, where),
            startMicros,
            recorder.Samples(),
            nemesis?.Windows ?? [],
            check,
            LostWrites.Find(history, run.Load.Clients),
            history.Count,
            nemesis?.Skipped ?? 0);
        await File.WriteAllTextAsync(run.Report, TestReport.Html(outcome), CancellationToken.None);
        Print(console, run, outcome, summary);
        if (cancellation.IsCancellationRequested)
        {
            // The silos were killed with the run: the final reads mostly went unanswered, so
            // "nothing lost" means little. Whatever the verdict, the run did not finish.
            Say("test: interrupted; the report covers what ran until then");
            return ExitCodes.Interrupted;
        }
        return check.Verdict switch
        {
            Verdict.Unknown => CheckCommand.Undecided,
            _ => outcome.Passed ? ExitCodes.Ok : ExitCodes.Failed,
        };
    }

    private static async Task ReportProgressAsync(PeriodicTimer timer, LoadRecorder recorder, Nemesis? nemesis, long startMicros)
    {
        try
        {
            while (await timer.WaitForNextTickAsync())
            {
                var samples = recorder.Samples();
                var faults = nemesis?.Windows.Count ?? 0;
                Say(string.Create(CultureInfo.InvariantCulture,
                    $"test: {(recorder.NowMicros() - startMicros) / 1e6:0} s, {samples.Count(s => s.Outcome != Outcome.Unknown):N0} answered, {samples.Count(s => s.Outcome == Outcome.Unknown && !s.Rejected):N0} unknown, {faults} fault(s) done"));
            }
        }
        catch (ObjectDisposedException)
        {
            // The load ended.
        }
    }

    private static IReadOnlyList<(string, string)> Parameters(Run run, string where) =>
    [
        ("command", "orleansnodes " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1))),
        ("cluster", run.Silos is { } n ? $"{n} silo(s), storage {run.Storage}, silo {where}" : $"running silos at {where}"),
        ("load", string.Create(CultureInfo.InvariantCulture, $"{run.Load.Duration!.Value.TotalSeconds:0} s, {run.Load.Clients} clients, {run.Load.Keys} keys, mix {run.Load.Mix}, {(run.Load.Rate is { } rate ? $"at most {rate:0.#} ops/s" : "closed loop")}, seed {run.Load.Seed}")),
        ("nemesis", run.Faults.Count == 0 ? "none" : string.Create(CultureInfo.InvariantCulture, $"{string.Join(",", run.Faults.Select(f => f.Name()))} every {run.Interval.TotalSeconds:0.#} s, each {run.FaultLength.TotalSeconds:0.#} s")),
        ("report written", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)),
    ];

    private static void Print(IAnsiConsole console, Run run, TestOutcome outcome, LoadSummary summary)
    {
        var output = console.Profile.Out.Writer;
        var gaps = outcome.LongestWriteGaps();
        if (run.Json)
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                passed = outcome.Passed,
                verdict = CheckCommand.JsonName(outcome.Check.Verdict),
                operations = outcome.Operations,
                acknowledged = outcome.Acknowledged,
                unknown = outcome.Unknown,
                lostWrites = outcome.Lost.Count,
                opsPerSecond = summary.OpsPerSecond,
                faults = gaps.Select(g => new
                {
                    kind = g.Fault.Kind.Name(),
                    silo = g.Fault.Silo,
                    startSeconds = (g.Fault.StartMicros - outcome.StartMicros) / 1e6,
                    endSeconds = (g.Fault.EndMicros - outcome.StartMicros) / 1e6,
                    longestWithoutWriteSeconds = g.Seconds,
                }),
                faultsSkipped = outcome.SkippedFaults,
                report = run.Report,
            }));
            return;
        }
        output.WriteLine($"test: {TestReport.Verdict(outcome)}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {outcome.Operations:N0} operations, {outcome.Acknowledged:N0} answered, {outcome.Unknown:N0} unknown, {summary.OpsPerSecond:N0} ops/s"));
        foreach (var kind in gaps.GroupBy(g => g.Fault.Kind))
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {kind.Key.Name()}: {kind.Count()} fault(s), longest stretch without an acknowledged write {kind.Max(g => g.Seconds):0.00} s"));
        if (outcome.SkippedFaults > 0) output.WriteLine($"  {outcome.SkippedFaults} planned fault(s) skipped: the ones before them healed too late");
        output.WriteLine($"  report: {run.Report}");
    }

    private static void Say(string line) => Console.Error.WriteLine(line);
}
