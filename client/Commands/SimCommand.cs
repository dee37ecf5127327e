using System.CommandLine;
using System.Globalization;
using OrleansNodes.Simulation;
using OrleansNodes.Simulation.Counterexamples;
using OrleansNodes.Simulation.Linearizability;
using Command = System.CommandLine.Command;
using Spectre.Console;

namespace OrleansNodes.Client.Commands;

/// <summary>
/// <c>orleansnodes sim PROTOCOL</c> runs a suite of seeded simulations with faults and prints a
/// summary; <c>orleansnodes sim --replay FILE</c> replays a saved counterexample. Exit 0 when
/// everything passed, 1 on a violation (with the shrunk trace, saved for replay) or a
/// <c>Sometimes</c> goal no run reached (named, with a hint), 2 on bad input. <c>-o json</c>
/// prints one JSON object instead (docs/operators.md). <c>--html FILE</c> also writes the
/// counterexample as a page to read in a browser (<see cref="CounterexampleViewer"/>).
/// </summary>
public static class SimCommand
{
    /// <summary>Runs when <c>--seeds</c> is not given.</summary>
    public const int DefaultSeeds = 100;

    /// <summary>Steps of a run's fault phase when <c>--steps</c> is not given.</summary>
    public const int DefaultSteps = 1_000;

    /// <summary>The most runs one suite may ask for (a million runs of the default length take hours).</summary>
    public const int MaxSeeds = 1_000_000;

    /// <summary>
    /// The longest fault phase: a run keeps its whole schedule in memory (a million steps of kv
    /// take about 0.9 GB and 25 s), so a slip like <c>--steps 2147483647</c> is refused.
    /// </summary>
    public const int MaxSteps = 100_000;

    /// <summary>Builds the command.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var protocol = new Argument<string?>("protocol")
        {
            Description = $"The protocol to simulate: {ProtocolCatalog.Names}.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        protocol.CompletionSources.Add(ProtocolCatalog.All.Select(e => e.Name).ToArray());
        var seeds = OptionRules.Range(new Option<int>("--seeds") { Description = "Number of seeded runs.", DefaultValueFactory = _ => DefaultSeeds }, 1, MaxSeeds);
        var nodes = OptionRules.Range(new Option<int>("--nodes") { Description = "Nodes in the simulated cluster.", DefaultValueFactory = _ => 3 }, 1, 64);
        var steps = OptionRules.Range(new Option<int>("--steps") { Description = "Steps of each run's fault phase.", DefaultValueFactory = _ => DefaultSteps }, 1, MaxSteps);
        var faults = new Option<string>("--faults")
        {
            Description = $"Faults to inject: a comma-separated list of {FaultList.Accepted}.",
            DefaultValueFactory = _ => "all",
        };
        faults.Validators.Add(r =>
        {
            var text = string.Join(",", r.Tokens.Select(t => t.Value));
            if (text.Length > 0 && FaultList.Parse(text, out var error) is null) r.AddError(error!);
        });
        var firstSeed = new Option<ulong>("--first-seed") { Description = "Seed of the first run; run i uses first-seed + i.", DefaultValueFactory = _ => 0UL };
        var order = new Option<string>("--order") { Description = "Delivery order: random or fifo (the seed's loop).", DefaultValueFactory = _ => "random" };
        order.AcceptOnlyFromAmong("random", "fifo");
        var liveness = OptionRules.Range(
            new Option<int>("--liveness-rounds") { Description = "Rounds after healing within which every Eventually property must hold (0 skips).", DefaultValueFactory = _ => SimulationOptions.Default.LivenessRounds },
            0, 100_000);
        var noShrink = new Option<bool>("--no-shrink") { Description = "Report a violation's full schedule instead of shrinking it." };
        var scheduleDir = new Option<DirectoryInfo?>("--schedule-dir") { Description = "Where to save failing schedules (default: a folder under the temp directory)." };
        var replay = new Option<FileInfo?>("--replay") { Description = "Replay a saved schedule file instead of running a suite." };
        var clients = OptionRules.Range(
            new Option<int?>("--clients") { Description = "Simulated clients issuing operations with timeouts and retries (kv: default 3, 0 for none); each run's history must be linearizable." },
            0, 100);
        var operations = OptionRules.Range(new Option<int>("--ops") { Description = "Operations each client completes per run (with --clients).", DefaultValueFactory = _ => 8 }, 1, 10_000);
        var keys = OptionRules.Range(new Option<int>("--keys") { Description = "Keys the clients' operations spread over (with --clients).", DefaultValueFactory = _ => 2 }, 1, 1_000);
        var swarm = new Option<bool>("--swarm") { Description = "Swarm testing: each run draws its own cluster size (3..max(5, --nodes)), subset of --faults, rates and crash points from its seed." };
        var history = new Option<FileInfo?>("--history") { Description = "Where to save a run's client history (with --clients): the failing run's, else the first run's. Default: kv-history.jsonl." };
        var html = OptionRules.NewFile(new Option<FileInfo?>("--html")
        {
            HelpName = "FILE",
            Description = "Write the counterexample as one self-contained HTML page to FILE (the first violation's shrunk schedule; with --replay, the replayed schedule): a sequence diagram to read in a browser.",
        });

        var command = new Command("sim", "Simulate a protocol under faults, checking its properties after every step.")
        {
            protocol, seeds, nodes, steps, faults, firstSeed, order, liveness, noShrink, scheduleDir, replay, clients, operations, keys, history, html, swarm,
        };
        var output = OutputOption.Create(command);
        command.Validators.Add(r =>
        {
            var hasProtocol = r.GetValue(protocol) is not null;
            var hasReplay = r.GetValue(replay) is not null;
            if (!hasProtocol && !hasReplay) r.AddError($"name a protocol ({ProtocolCatalog.Names}) or pass --replay FILE");
            if (hasProtocol && hasReplay) r.AddError("--replay takes no protocol: the schedule file names it");
        });
        command.SetAction(parse =>
        {
            var json = parse.IsJson(output);
            var htmlPath = parse.GetValue(html)?.FullName;
            if (parse.GetValue(replay) is { } file) return Replay(console, file, json, htmlPath);
            var entry = ProtocolCatalog.Find(parse.GetValue(protocol)!);
            var options = new SimulationOptions
            {
                Nodes = parse.GetValue(nodes),
                Steps = parse.GetValue(steps),
                Faults = FaultList.Parse(parse.GetValue(faults)!, out _)!.Value,
                Order = parse.GetValue(order) == "fifo" ? DeliveryOrder.Fifo : DeliveryOrder.Random,
                LivenessRounds = parse.GetValue(liveness),
                Shrink = !parse.GetValue(noShrink),
                ScheduleDirectory = parse.GetValue(scheduleDir)?.FullName,
                Swarm = parse.GetValue(swarm),
                SwarmNodesMin = Math.Min(3, parse.GetValue(nodes)),
                SwarmNodesMax = Math.Max(5, parse.GetValue(nodes)),
            };
            ProtocolCatalog.ClientLoad? load = null;
            var clientCount = parse.GetValue(clients) ?? entry.DefaultClients;
            if (clientCount > 0)
            {
                if (!entry.HasClients)
                    throw CliException.BadInput($"--clients: protocol '{entry.Name}' has no simulated clients (protocols with clients: {string.Join(", ", ProtocolCatalog.All.Where(e => e.HasClients).Select(e => e.Name))})");
                load = new ProtocolCatalog.ClientLoad(clientCount, parse.GetValue(operations), parse.GetValue(keys));
            }
            var historyPath = load is null ? null : (parse.GetValue(history)?.FullName ?? Path.GetFullPath("kv-history.jsonl"));
            var suite = new Suite(entry, load, entry.Adjust(options), parse.GetValue(seeds), parse.GetValue(firstSeed), historyPath, htmlPath);
            return json ? RunSuiteJson(console, suite) : RunSuite(console, suite);
        });
        return command;
    }

    /// <summary>One suite as the command line asked for it.</summary>
    private sealed record Suite(ProtocolCatalog.Entry Entry, ProtocolCatalog.ClientLoad? Load, SimulationOptions Options, int Seeds, ulong FirstSeed, string? HistoryPath, string? HtmlPath);

    /// <summary>The client history saved after a suite: which run's, how many operations, where.</summary>
    private sealed record SavedHistory(ulong Seed, int Operations, string Path);

    private static void Validate(Suite suite)
    {
        try
        {
            suite.Options.Validate();
        }
        catch (ArgumentException e)
        {
            throw CliException.BadInput(e.Message);
        }
    }

    private static SuiteReport Execute(Suite suite, IProgress<SuiteProgress>? progress) =>
        suite.Entry.Create(suite.Load).RunSuite(suite.Seeds, suite.Options, suite.FirstSeed, progress);

    private static int RunSuite(IAnsiConsole console, Suite suite)
    {
        Validate(suite);
        var (entry, load, options, seeds, firstSeed, _, _) = suite;
        var clientsText = load is null ? "" : $", {load.Clients} clients x {load.OperationsPerClient} ops on {load.Keys} keys";
        var nodesText = options.Swarm ? $"swarm of {options.SwarmNodesMin}..{options.SwarmNodesMax} nodes" : $"{options.Nodes} nodes";
        console.MarkupLineInterpolated($"[bold]{entry.Name}[/]: {seeds} runs from seed {firstSeed}, {nodesText}, {options.Steps} steps, faults {FaultList.Format(options.Faults)}{clientsText}");
        var report = WithProgress(console, seeds, progress => Execute(suite, progress));

        console.Write(Summary(report, options));
        if (report.Goals.Count > 0) console.Write(Goals(report));
        if (report.Configurations.Count > 0)
            console.WriteLine("swarm configurations: " + string.Join(", ", report.Configurations.Select(c => $"{c.Kind} in {c.Runs} runs")));
        foreach (var warning in report.Warnings) console.MarkupLineInterpolated($"[yellow]warning[/]: {warning}");
        if (SaveHistory(suite, report) is { } saved)
            console.MarkupLineInterpolated($"history of seed {saved.Seed} ({saved.Operations} operations) saved to {saved.Path}; check it with: orleansnodes check {saved.Path}");
        var page = suite.HtmlPath is not null && report.Violation is { } found ? WritePage(suite.Entry.Create(suite.Load), found.Schedule, suite.HtmlPath) : null;
        if (suite.HtmlPath is not null && page is null)
            console.MarkupLineInterpolated($"no violation, so no counterexample page: nothing written to {suite.HtmlPath}");
        if (report.Passed)
        {
            console.MarkupLine("[green]passed[/]");
            return ExitCodes.Ok;
        }

        // The reason on the verdict's own line: a summary with 0 violations must not end in a bare "failed".
        var reason = GoalsFailure(report, suite) ?? report.Failure ?? "";
        var lines = reason.Split('\n', 2);
        console.MarkupLineInterpolated($"[red]failed[/]: {lines[0].TrimEnd()}");
        // Raw, not through Spectre, which wraps at the console's width: the replay command must stay one line in a CI log.
        if (lines.Length > 1) console.Profile.Out.Writer.WriteLine(lines[1].TrimEnd());
        if (page is not null) console.MarkupLineInterpolated($"counterexample of seed {report.Violation!.Seed} written to {page}; open it in a browser");
        return ExitCodes.Failed;
    }

    /// <summary>
    /// <c>sim -o json</c>: one object with the summary table's counts, every goal, and why the
    /// suite failed (docs/operators.md, "JSON output").
    /// </summary>
    private static int RunSuiteJson(IAnsiConsole console, Suite suite)
    {
        Validate(suite);
        var report = Execute(suite, progress: null);
        var saved = SaveHistory(suite, report);
        var page = suite.HtmlPath is not null && report.Violation is { } found ? WritePage(suite.Entry.Create(suite.Load), found.Schedule, suite.HtmlPath) : null;
        var unreached = Unreached(report);
        JsonLines.Write(console, new
        {
            protocol = report.Protocol,
            passed = report.Passed,
            runs = report.Runs,
            runsRequested = report.RunsRequested,
            firstSeed = report.FirstSeed,
            nodes = suite.Options.Nodes,
            stepsPerRun = suite.Options.Steps,
            faults = FaultList.Format(suite.Options.Faults),
            order = suite.Options.Order == DeliveryOrder.Fifo ? "fifo" : "random",
            clients = suite.Load is { } load ? new { clients = load.Clients, opsPerClient = load.OperationsPerClient, keys = load.Keys } : null,
            steps = report.Steps,
            stepsPerSecond = Math.Round(report.StepsPerSecond),
            deliveries = report.Deliveries,
            violations = report.Violation is null ? 0 : 1,
            goals = report.Goals.Select(g => new { name = g.Name, runsReached = g.RunsReached }),
            warnings = report.Warnings,
            configurations = report.Configurations.Select(c => new { kind = c.Kind, runs = c.Runs }),
            goalsNotReached = unreached,
            failure = report.Failure,
            hint = GoalsFailure(report, suite) is null ? null : MoreRunsHint(suite, unreached.Count),
            violation = report.Violation is { } v ? ViolationJson(v) : null,
            history = saved is null ? null : new { path = saved.Path, seed = saved.Seed, operations = saved.Operations },
            html = page,
        });
        return report.Passed ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static object ViolationJson(Violation v) => new
    {
        property = v.Property,
        kind = v.Kind.ToString(),
        message = v.Message,
        seed = v.Seed,
        step = v.Step,
        decisions = v.Schedule.Decisions.Length,
        originalDecisions = v.OriginalDecisions,
        schedulePath = v.SchedulePath,
        replayCommand = v.ReplayCommand,
        trace = v.Trace,
    };

    private static List<string> Unreached(SuiteReport report) => [.. report.Goals.Where(g => g.RunsReached == 0).Select(g => g.Name)];

    /// <summary>
    /// Why a suite without a violation failed because some <c>Sometimes</c> goal was never
    /// reached, with the likely remedy; null when it failed for another reason (or passed).
    /// </summary>
    private static string? GoalsFailure(SuiteReport report, Suite suite)
    {
        if (report.Passed || report.Violation is not null || report.Determinism is { IsDeterministic: false }) return null;
        var unreached = Unreached(report);
        if (unreached.Count == 0) return null;
        var last = suite.FirstSeed + (ulong)Math.Max(0, suite.Seeds - 1);
        var names = string.Join(", ", unreached.Select(n => $"'{n}'"));
        var what = unreached.Count == 1 ? $"goal {names} was" : $"goals {names} were";
        return $"{what} never reached in {suite.Seeds} runs (seeds {suite.FirstSeed}..{last}): {MoreRunsHint(suite, unreached.Count)}";
    }

    private static string MoreRunsHint(Suite suite, int goals)
    {
        var it = goals == 1 ? "it" : "they";
        var more = new List<string>();
        if (suite.Seeds < DefaultSeeds) more.Add($"more --seeds (the default is {DefaultSeeds})");
        if (suite.Options.Steps < DefaultSteps) more.Add($"more --steps (the default is {DefaultSteps})");
        return more.Count > 0 ? $"{it} may need {string.Join(" or ", more)}" : $"{it} may need more --seeds or --steps, or fewer --faults";
    }

    /// <summary>
    /// Re-runs the failing seed (or the first one) to get its client history, and saves it in the
    /// format <c>orleansnodes check</c> reads. A run is a pure function of its seed, so the re-run
    /// records exactly the history the suite judged.
    /// </summary>
    private static SavedHistory? SaveHistory(Suite suite, SuiteReport report)
    {
        if (suite.HistoryPath is not { } path) return null;
        var seed = report.Violation?.Seed ?? suite.FirstSeed;
        var simulation = suite.Entry.Create(suite.Load);
        if (simulation.Run(seed, suite.Options with { Shrink = false, SaveSchedule = false }).WorkloadResult is not History history) return null;
        try
        {
            HistoryJson.Save(history, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.Unavailable($"cannot write the history to {path}: {e.Message}");
        }
        return new SavedHistory(seed, history.Operations.Length, path);
    }

    /// <summary>Replays <paramref name="schedule"/> into a counterexample and writes its page; returns the path written.</summary>
    internal static string WritePage(ISimulation simulation, Schedule schedule, string path)
    {
        var page = CounterexampleViewer.Render(simulation.Explain(schedule));
        try
        {
            File.WriteAllText(path, page);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.Unavailable($"cannot write the counterexample page to {path}: {e.Message}");
        }

        return path;
    }

    private static int Replay(IAnsiConsole console, FileInfo file, bool json, string? htmlPath)
    {
        // Messages name the file as it was given, folder included.
        var given = file.ToString();
        if (Directory.Exists(file.FullName)) throw CliException.BadInput($"{given}: is a directory, not a schedule file");
        Schedule schedule;
        try
        {
            schedule = Schedule.Load(given);
        }
        catch (ScheduleFormatException e)
        {
            throw CliException.BadInput(e.Message);
        }

        var entry = ProtocolCatalog.Find(schedule.Protocol);
        ISimulation simulation;
        RunReport report;
        try
        {
            simulation = ProtocolCatalog.ForReplay(schedule);
            report = simulation.Replay(schedule);
        }
        catch (Exception e) when (e is ScheduleFormatException or ArgumentException)
        {
            // Another protocol's or other settings' schedule, or options out of range: one line.
            throw CliException.BadInput(e.Message);
        }

        // A schedule replays exactly on what it was recorded with; a decision that does not apply
        // means it does not fit, and whatever the replay then shows is not the recorded run.
        var misfit = report.SkippedDecisions > 0
            ? $"{report.SkippedDecisions} of {schedule.Decisions.Length} decisions did not apply (first: {report.FirstSkipped}): the schedule does not fit this protocol, its settings or its clients"
            : null;
        if (report.Violation is null && misfit is not null) throw CliException.BadInput($"did not replay: {misfit}");
        var page = htmlPath is null ? null : WritePage(simulation, schedule, htmlPath);
        if (json)
        {
            JsonLines.Write(console, new
            {
                replay = given,
                protocol = entry.Name,
                seed = schedule.Seed,
                nodes = schedule.Nodes,
                decisions = schedule.Decisions.Length,
                skippedDecisions = report.SkippedDecisions,
                passed = report.Passed,
                steps = report.Steps,
                deliveries = report.Deliveries,
                warning = misfit,
                violation = report.Violation is { } v ? ViolationJson(v) : null,
                html = page,
            });
            return report.Passed ? ExitCodes.Ok : ExitCodes.Failed;
        }

        console.MarkupLineInterpolated($"[bold]replay[/] of {given}: {entry.Name}, seed {schedule.Seed}, {schedule.Nodes} nodes, {schedule.Decisions.Length} decisions");
        if (report.Violation is { } violation)
        {
            if (misfit is not null) console.MarkupLineInterpolated($"[yellow]warning[/]: {misfit}");
            console.Profile.Out.Writer.WriteLine(violation.ToString());
            WrotePage(console, page);
            return ExitCodes.Failed;
        }

        console.MarkupLineInterpolated($"[green]passed[/]: {report}");
        WrotePage(console, page);
        return ExitCodes.Ok;
    }

    private static void WrotePage(IAnsiConsole console, string? page)
    {
        if (page is not null) console.MarkupLineInterpolated($"counterexample written to {page}; open it in a browser");
    }

    private static SuiteReport WithProgress(IAnsiConsole console, int seeds, Func<IProgress<SuiteProgress>?, SuiteReport> run)
    {
        if (!console.Profile.Capabilities.Interactive) return run(null);
        SuiteReport? report = null;
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("runs", maxValue: seeds);
                report = run(new Reporter(p =>
                {
                    task.Value = p.RunsCompleted;
                    task.Description = $"{p.RunsCompleted}/{p.RunsTotal} runs, {p.Steps:N0} steps";
                }));
                task.Value = seeds;
            });
        return report!;
    }

    private static Table Summary(SuiteReport report, SimulationOptions options)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("simulation");
        table.AddColumns("protocol", "nodes", "faults", "runs", "steps", "steps/s", "deliveries", "violations");
        foreach (var column in table.Columns.Skip(3)) column.RightAligned();
        table.AddRow(
            report.Protocol,
            options.Nodes.ToString(CultureInfo.InvariantCulture),
            FaultList.Format(options.Faults),
            $"{report.Runs:N0}/{report.RunsRequested:N0}",
            report.Steps.ToString("N0", CultureInfo.InvariantCulture),
            report.StepsPerSecond.ToString("N0", CultureInfo.InvariantCulture),
            report.Deliveries.ToString("N0", CultureInfo.InvariantCulture),
            report.Violation is null ? "0" : "1");
        return table;
    }

    private static Table Goals(SuiteReport report)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("goals (Sometimes)");
        table.AddColumns("goal", "runs reached");
        table.Columns[1].RightAligned();
        foreach (var goal in report.Goals)
        {
            var count = goal.RunsReached.ToString("N0", CultureInfo.InvariantCulture);
            // In words as well as red: a pipe or a file has no colour.
            table.AddRow(Markup.Escape(goal.Name), goal.RunsReached > 0 ? count : $"[red]{count} (never reached)[/]");
        }
        return table;
    }

    /// <summary>Reports progress on the simulating thread; <see cref="Progress{T}"/> would post to the thread pool.</summary>
    private sealed class Reporter(Action<SuiteProgress> report) : IProgress<SuiteProgress>
    {
        public void Report(SuiteProgress value) => report(value);
    }
}
