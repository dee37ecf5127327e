using System.CommandLine;
using System.Globalization;
using OrleansNodes.Simulation;
using OrleansNodes.Simulation.Linearizability;
using Command = System.CommandLine.Command;
using Spectre.Console;

namespace OrleansNodes.Client.Commands;

/// <summary>
/// <c>orleansnodes sim PROTOCOL</c> runs a suite of seeded simulations with faults and prints a
/// summary; <c>orleansnodes sim --replay FILE</c> replays a saved counterexample. Exit 0 when
/// everything passed, 1 on a violation (with the shrunk trace, saved for replay), 2 on bad input.
/// </summary>
public static class SimCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var protocol = new Argument<string?>("protocol")
        {
            Description = $"The protocol to simulate: {ProtocolCatalog.Names}.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var seeds = Positive(new Option<int>("--seeds") { Description = "Number of seeded runs.", DefaultValueFactory = _ => 100 });
        var nodes = Positive(new Option<int>("--nodes") { Description = "Nodes in the simulated cluster.", DefaultValueFactory = _ => 3 });
        var steps = Positive(new Option<int>("--steps") { Description = "Steps of each run's fault phase.", DefaultValueFactory = _ => 1_000 });
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
        var liveness = new Option<int>("--liveness-rounds") { Description = "Rounds after healing within which every Eventually property must hold (0 skips).", DefaultValueFactory = _ => SimulationOptions.Default.LivenessRounds };
        OptionRules.Require(liveness, v => v >= 0, "--liveness-rounds must not be negative");
        var noShrink = new Option<bool>("--no-shrink") { Description = "Report a violation's full schedule instead of shrinking it." };
        var scheduleDir = new Option<DirectoryInfo?>("--schedule-dir") { Description = "Where to save failing schedules (default: a folder under the temp directory)." };
        var replay = new Option<FileInfo?>("--replay") { Description = "Replay a saved schedule file instead of running a suite." };
        var clients = new Option<int?>("--clients") { Description = "Simulated clients issuing operations with timeouts and retries (kv: default 3, 0 for none); each run's history must be linearizable." };
        OptionRules.Require(clients, v => v is null or >= 0, "--clients must not be negative");
        var operations = Positive(new Option<int>("--ops") { Description = "Operations each client completes per run (with --clients).", DefaultValueFactory = _ => 8 });
        var keys = Positive(new Option<int>("--keys") { Description = "Keys the clients' operations spread over (with --clients).", DefaultValueFactory = _ => 2 });
        var history = new Option<FileInfo?>("--history") { Description = "Where to save a run's client history (with --clients): the failing run's, else the first run's. Default: kv-history.jsonl." };

        var command = new Command("sim", "Simulate a protocol under faults, checking its properties after every step.")
        {
            protocol, seeds, nodes, steps, faults, firstSeed, order, liveness, noShrink, scheduleDir, replay, clients, operations, keys, history,
        };
        command.Validators.Add(r =>
        {
            var hasProtocol = r.GetValue(protocol) is not null;
            var hasReplay = r.GetValue(replay) is not null;
            if (!hasProtocol && !hasReplay) r.AddError($"name a protocol ({ProtocolCatalog.Names}) or pass --replay FILE");
            if (hasProtocol && hasReplay) r.AddError("--replay takes no protocol: the schedule file names it");
        });
        command.SetAction(parse =>
        {
            if (parse.GetValue(replay) is { } file) return Replay(console, file);
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
            return RunSuite(console, entry, load, entry.Adjust(options), parse.GetValue(seeds), parse.GetValue(firstSeed), historyPath);
        });
        return command;
    }

    private static Option<int> Positive(Option<int> option) => OptionRules.Require(option, v => v >= 1, $"{option.Name} must be at least 1");

    private static int RunSuite(IAnsiConsole console, ProtocolCatalog.Entry entry, ProtocolCatalog.ClientLoad? load, SimulationOptions options, int seeds, ulong firstSeed, string? historyPath)
    {
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw CliException.BadInput(e.Message);
        }

        var simulation = entry.Create(load);
        var clientsText = load is null ? "" : $", {load.Clients} clients x {load.OperationsPerClient} ops on {load.Keys} keys";
        console.MarkupLineInterpolated($"[bold]{entry.Name}[/]: {seeds} runs from seed {firstSeed}, {options.Nodes} nodes, {options.Steps} steps, faults {FaultList.Format(options.Faults)}{clientsText}");
        var report = WithProgress(console, seeds, progress => simulation.RunSuite(seeds, options, firstSeed, progress));

        console.Write(Summary(report, options));
        if (report.Goals.Count > 0) console.Write(Goals(report));
        if (historyPath is not null) SaveHistory(console, simulation, report, options, firstSeed, historyPath);
        if (report.Passed)
        {
            console.MarkupLine("[green]passed[/]");
            return ExitCodes.Ok;
        }

        console.MarkupLine("[red]failed[/]");
        console.WriteLine(report.Failure ?? string.Empty);
        return ExitCodes.Failed;
    }

    /// <summary>
    /// Re-runs the failing seed (or the first one) to get its client history, and saves it in the
    /// format <c>orleansnodes check</c> reads. A run is a pure function of its seed, so the re-run
    /// records exactly the history the suite judged.
    /// </summary>
    private static void SaveHistory(IAnsiConsole console, ISimulation simulation, SuiteReport report, SimulationOptions options, ulong firstSeed, string path)
    {
        var seed = report.Violation?.Seed ?? firstSeed;
        if (simulation.Run(seed, options with { Shrink = false, SaveSchedule = false }).WorkloadResult is not History history) return;
        try
        {
            HistoryJson.Save(history, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.Unavailable($"cannot write the history to {path}: {e.Message}");
        }
        console.MarkupLineInterpolated($"history of seed {seed} ({history.Operations.Length} operations) saved to {path}; check it with: orleansnodes check {path}");
    }

    private static int Replay(IAnsiConsole console, FileInfo file)
    {
        if (Directory.Exists(file.FullName)) throw CliException.BadInput($"{file.FullName}: is a directory, not a schedule file");
        Schedule schedule;
        try
        {
            schedule = Schedule.Load(file.FullName);
        }
        catch (ScheduleFormatException e)
        {
            throw CliException.BadInput(e.Message);
        }

        var entry = ProtocolCatalog.Find(schedule.Protocol);
        RunReport report;
        try
        {
            report = entry.Create(null).Replay(schedule);
        }
        catch (Exception e) when (e is ScheduleFormatException or ArgumentException)
        {
            // Another protocol's or other settings' schedule, or options out of range: one line.
            throw CliException.BadInput(e.Message);
        }

        console.MarkupLineInterpolated($"[bold]replay[/] of {file.Name}: {entry.Name}, seed {schedule.Seed}, {schedule.Nodes} nodes, {schedule.Decisions.Length} decisions");
        // A schedule replays exactly on what it was recorded with; a decision that does not apply
        // means it does not fit, and whatever the replay then shows is not the recorded run.
        var misfit = report.SkippedDecisions > 0
            ? $"{report.SkippedDecisions} of {schedule.Decisions.Length} decisions did not apply (first: {report.FirstSkipped}): the schedule does not fit this protocol, its settings or its clients"
            : null;
        if (report.Violation is { } violation)
        {
            if (misfit is not null) console.MarkupLineInterpolated($"[yellow]warning[/]: {misfit}");
            console.WriteLine(violation.ToString());
            return ExitCodes.Failed;
        }

        if (misfit is not null) throw CliException.BadInput($"did not replay: {misfit}");
        console.MarkupLineInterpolated($"[green]passed[/]: {report}");
        return ExitCodes.Ok;
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
            table.AddRow(Markup.Escape(goal.Name), goal.RunsReached > 0 ? count : $"[red]{count}[/]");
        }
        return table;
    }

    /// <summary>Reports progress on the simulating thread; <see cref="Progress{T}"/> would post to the thread pool.</summary>
    private sealed class Reporter(Action<SuiteProgress> report) : IProgress<SuiteProgress>
    {
        public void Report(SuiteProgress value) => report(value);
    }
}
