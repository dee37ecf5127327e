using System.CommandLine;
using System.Globalization;
using OrleansNodes.Core;
using OrleansNodes.Simulation;
using OrleansNodes.Simulation.Exploration;
using Spectre.Console;
using Command = System.CommandLine.Command;

namespace OrleansNodes.Client.Commands;

/// <summary>
/// <c>orleansnodes explore PROTOCOL</c>: every interleaving of the protocol's steps within bounds
/// (depth, ticks, faults, clients), each state's properties checked, states stored by 64-bit
/// fingerprint. Exit 0 when nothing is violated and every goal is reached, 1 on a violation (with
/// its shortest path under breadth-first search) or an unreached goal, 2 on bad input.
/// </summary>
public static class ExploreCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var protocol = new Argument<string>("protocol") { Description = $"The protocol to explore: {string.Join(", ", ExplorationCatalog.All.Select(e => e.Name))}." };
        protocol.CompletionSources.Add([.. ExplorationCatalog.All.Select(e => e.Name)]);
        var nodes = OptionRules.Range(new Option<int>("--nodes") { Description = "Nodes in the cluster.", DefaultValueFactory = _ => 3 }, 1, 16);
        var depth = OptionRules.Range(new Option<int>("--depth") { Description = "Longest path followed, in actions.", DefaultValueFactory = _ => 30 }, 0, 10_000);
        var threads = OptionRules.Range(new Option<int>("--threads") { Description = "Worker threads (default: one per core).", DefaultValueFactory = _ => Environment.ProcessorCount }, 1, 256);
        var bfs = new Option<bool>("--bfs") { Description = "Breadth-first (the default): the first violation found has a shortest path." };
        var dfs = new Option<bool>("--dfs") { Description = "Depth-first: memory grows with depth, not with the widest level." };
        var symmetry = new Option<bool>("--symmetry") { Description = "Explore up to a renaming of nodes (protocols that declare their nodes interchangeable)." };
        var faults = new Option<string>("--faults") { Description = "Faults the search may inject, each once unless its own option says how often: a comma-separated list of drop, duplicate, crash, partition, or none.", DefaultValueFactory = _ => "none" };
        faults.Validators.Add(r =>
        {
            var text = string.Join(",", r.Tokens.Select(t => t.Value));
            if (text.Length > 0 && ParseFaults(text, out var error) is null) r.AddError(error!);
        });
        var drops = OptionRules.Range(new Option<int?>("--drops") { Description = "Messages one path may drop." }, 0, 250);
        var duplicates = OptionRules.Range(new Option<int?>("--duplicates") { Description = "Messages one path may duplicate." }, 0, 250);
        var partitions = OptionRules.Range(new Option<int?>("--partitions") { Description = "Times one path may cut a node off from its peers (clients still reach it) until a heal." }, 0, 250);
        var crashes = OptionRules.Range(new Option<int?>("--crashes") { Description = "Crashes one path may take (a crashed node may restart)." }, 0, 250);
        var ticks = OptionRules.Range(new Option<int?>("--ticks") { Description = "Ticks each node may take on one path (default per protocol)." }, 0, 250);
        var maxLead = OptionRules.Range(new Option<int?>("--max-lead") { Description = "Ticks a node may be ahead of the slowest node up (bounded clock drift; default: any)." }, 1, 250);
        var clients = OptionRules.Range(new Option<int?>("--clients") { Description = "Clients, each running a short script (default per protocol)." }, 0, 16);
        var operations = OptionRules.Range(new Option<int>("--ops") { Description = "Operations in each client's script.", DefaultValueFactory = _ => 1 }, 1, 16);
        var retries = OptionRules.Range(new Option<int>("--retries") { Description = "Times one path may have a client send a request to another node: again after waiting (a timeout), or first (a stale leader cache).", DefaultValueFactory = _ => 0 }, 0, 250);
        var delays = OptionRules.Range(new Option<int?>("--delays") { Description = "Follow only paths that leave the default schedule (oldest message first, then requests, then the least-ticked node) at most this many times: reaches deep bugs that take few unusual choices, but is not exhaustive." }, 0, 250);
        var quietFaults = new Option<bool>("--quiet-faults") { Description = "With --delays: a crash, partition or heal while no message is in flight costs no delay (--crashes and --partitions still bound them): long sequences of faults come within reach." };
        var liveness = OptionRules.Range(new Option<int>("--liveness-rounds") { Description = "Rounds of a healed, fair liveness phase run from every state where the search stops; every Eventually property must hold within them (0 skips).", DefaultValueFactory = _ => 0 }, 0, 200);
        var maxStates = new Option<long>("--max-states") { Description = "Stop after this many unique states (a memory bound).", DefaultValueFactory = _ => 50_000_000 };
        maxStates.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<long>() < 1) r.AddError("--max-states must be at least 1");
        });
        var maxMemory = OptionRules.Range(new Option<int?>("--max-memory") { Description = "Stop when the states held take more than this many MiB (default: half the machine's memory)." }, 16, 1 << 24);
        var maxInFlight = OptionRules.Range(new Option<int>("--max-in-flight") { Description = "Messages in flight at once; paths that send more are pruned.", DefaultValueFactory = _ => 64 }, 1, 10_000);
        var seed = new Option<ulong>("--seed") { Description = "Seed of the nodes' configurations (their randomized timers).", DefaultValueFactory = _ => 0UL };
        var save = OptionRules.NewFile(new Option<FileInfo?>("--save") { HelpName = "FILE", Description = "Where to save a counterexample's schedule (default: a file under the temp directory); replay it with sim --replay." });
        var html = OptionRules.NewFile(new Option<FileInfo?>("--html") { HelpName = "FILE", Description = "Also write a counterexample as one self-contained HTML page to FILE: a sequence diagram to read in a browser." });
        var command = new Command("explore", "Check a protocol exhaustively: every interleaving within bounds, properties checked in every state.")
        {
            protocol, nodes, depth, threads, bfs, dfs, symmetry, faults, drops, duplicates, crashes, partitions, ticks, maxLead, clients, operations, retries, delays, quietFaults, liveness, maxStates, maxMemory, maxInFlight, seed, save, html,
        };
        var output = OutputOption.Create(command);
        command.Validators.Add(r =>
        {
            if (r.GetValue(bfs) && r.GetValue(dfs)) r.AddError("--bfs and --dfs: choose one search order");
            if (r.GetValue(symmetry) && r.GetValue(delays) is not null) r.AddError("--symmetry and --delays: choose one (the default schedule breaks ties by node id)");
            if (r.GetValue(quietFaults) && r.GetValue(delays) is null) r.AddError("--quiet-faults needs --delays (--delays 0: the default schedule, with faults at quiet points only)");
        });
        // The search runs off the main thread, so that Ctrl+C finds an action to wait for (a
        // synchronous one would have the console exit at once, with nothing printed).
        command.SetAction((parse, cancellation) => Task.Run(() =>
        {
            var entry = ExplorationCatalog.Find(parse.GetValue(protocol)!);
            var kinds = ParseFaults(parse.GetValue(faults)!, out _)!.Value;
            var options = new ExplorationOptions
            {
                Nodes = parse.GetValue(nodes),
                MaxDepth = parse.GetValue(depth),
                Threads = parse.GetValue(threads),
                Order = parse.GetValue(dfs) ? SearchOrder.DepthFirst : SearchOrder.BreadthFirst,
                Symmetry = parse.GetValue(symmetry),
                MaxDrops = parse.GetValue(drops) ?? (kinds.HasFlag(FaultKinds.Drop) ? 1 : 0),
                MaxDuplicates = parse.GetValue(duplicates) ?? (kinds.HasFlag(FaultKinds.Duplicate) ? 1 : 0),
                MaxCrashes = parse.GetValue(crashes) ?? (kinds.HasFlag(FaultKinds.Crash) ? 1 : 0),
                MaxPartitions = parse.GetValue(partitions) ?? (kinds.HasFlag(FaultKinds.Partition) ? 1 : 0),
                TicksPerNode = parse.GetValue(ticks) ?? entry.DefaultTicks,
                MaxTickLead = parse.GetValue(maxLead),
                Clients = parse.GetValue(clients) ?? entry.DefaultClients,
                OperationsPerClient = parse.GetValue(operations),
                MaxDelays = parse.GetValue(delays),
                QuietFaults = parse.GetValue(quietFaults),
                MaxRetries = parse.GetValue(retries),
                LivenessRounds = parse.GetValue(liveness),
                MaxStates = parse.GetValue(maxStates),
                MaxInFlight = parse.GetValue(maxInFlight),
                MaxMemoryBytes = parse.GetValue(maxMemory) is { } mib ? (long)mib << 20 : new ExplorationOptions().MaxMemoryBytes,
                Seed = parse.GetValue(seed),
            };
            var simulation = entry.Create();
            ExplorationReport report;
            try
            {
                options.Validate();
                report = parse.IsJson(output)
                    ? simulation.Explore(options, progress: null, cancellation)
                    : WithProgress(console, progress => simulation.Explore(options, progress, cancellation));
            }
            catch (ArgumentException e)
            {
                throw CliException.BadInput(e.Message);
            }

            var saved = report.Violation?.Schedule is { } schedule ? Save(schedule, parse.GetValue(save)?.FullName, report.Protocol) : null;
            var page = saved is not null && parse.GetValue(html) is { } pagePath ? SimCommand.WritePage(simulation, report.Violation!.Schedule!, pagePath.FullName) : null;
            var code = parse.IsJson(output) ? PrintJson(console, report, saved, page) : Print(console, entry, report, saved, page);

            // Ctrl+C stops the search; what it covered is printed, and the exit code says it was interrupted.
            return cancellation.IsCancellationRequested ? ExitCodes.Interrupted : code;
        }, CancellationToken.None));
        return command;
    }

    /// <summary>Parses <c>--faults</c>: drop, duplicate, crash, partition, or none.</summary>
    internal static FaultKinds? ParseFaults(string text, out string? error)
    {
        error = null;
        var kinds = FaultKinds.None;
        foreach (var raw in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            switch (raw.ToLowerInvariant())
            {
                case "none":
                    break;
                case "drop":
                    kinds |= FaultKinds.Drop;
                    break;
                case "duplicate":
                    kinds |= FaultKinds.Duplicate;
                    break;
                case "crash":
                    kinds |= FaultKinds.Crash;
                    break;
                case "partition":
                    kinds |= FaultKinds.Partition;
                    break;
                default:
                    error = $"unknown fault '{raw}' for explore; use a comma-separated list of drop, duplicate, crash, partition, or none";
                    return null;
            }
        }

        return kinds;
    }

    private static ExplorationReport WithProgress(IAnsiConsole console, Func<IProgress<ExplorationProgress>, ExplorationReport> run)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            // A log gets a line every ten seconds instead of a redrawn status.
            var last = TimeSpan.Zero;
            return run(new Reporter(p =>
            {
                if (p.Elapsed - last < TimeSpan.FromSeconds(10)) return;
                last = p.Elapsed;
                console.WriteLine(Describe(p));
            }));
        }

        ExplorationReport? report = null;
        console.Status().Start("exploring", context => report = run(new Reporter(p => context.Status(Markup.Escape(Describe(p))))));
        return report!;
    }

    private static string Describe(ExplorationProgress p) => string.Create(
        CultureInfo.InvariantCulture,
        $"{p.Elapsed:hh\\:mm\\:ss} | {p.Generated:N0} states, {p.Unique:N0} unique, {p.UniquePerSecond:N0} unique/s | depth {p.Depth} | queue {p.Queue:N0} | {p.MemoryBytes / (1 << 20):N0} MiB");

    /// <summary>Saves a counterexample's schedule where asked, else under the temp directory; returns the path.</summary>
    private static string Save(Schedule schedule, string? path, string protocol)
    {
        path ??= Path.Combine(Path.GetTempPath(), "orleansnodes", $"{protocol}-explored-{DateTime.UtcNow:yyyyMMdd-HHmmss}.schedule.json");
        try
        {
            schedule.Save(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.Unavailable($"cannot save the counterexample to {path}: {e.Message}");
        }

        return path;
    }

    private static int Print(IAnsiConsole console, ExplorationCatalog.Entry entry, ExplorationReport report, string? saved, string? page)
    {
        var options = report.Options;
        console.MarkupLineInterpolated($"[bold]{report.Protocol}[/] ({entry.Settings}): {options.Nodes} nodes, {options.Clients} clients x {options.OperationsPerClient} ops, {options.MaxRetries} retries, {options.TicksPerNode} ticks/node{(options.MaxTickLead is { } lead ? $" (lead at most {lead})" : "")}, drops {options.MaxDrops}, duplicates {options.MaxDuplicates}, crashes {options.MaxCrashes}, partitions {options.MaxPartitions}, depth {options.MaxDepth}, {(options.Order == SearchOrder.BreadthFirst ? "breadth-first" : "depth-first")}, {options.Threads} thread(s){(options.Symmetry ? ", symmetry" : "")}{(options.MaxDelays is { } k ? $", at most {k} delays" : "")}{(options.QuietFaults ? " (faults at quiet points free)" : "")}");
        var table = new Table().Border(TableBorder.Rounded).Title("exploration");
        table.AddColumns("states", "unique", "unique/s", "depth", "pruned", "time", "memory", "complete");
        foreach (var column in table.Columns) column.RightAligned();
        table.AddRow(
            report.GeneratedStates.ToString("N0", CultureInfo.InvariantCulture),
            report.UniqueStates.ToString("N0", CultureInfo.InvariantCulture),
            report.UniquePerSecond.ToString("N0", CultureInfo.InvariantCulture),
            report.Depth.ToString(CultureInfo.InvariantCulture),
            report.Pruned.ToString("N0", CultureInfo.InvariantCulture),
            report.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) + " s",
            $"{report.PeakBytes / (1 << 20):N0} MiB",
            Completeness(report));
        console.Write(table);
        var goals = new Table().Border(TableBorder.Rounded).Title("properties");
        goals.AddColumns("property", "kind", "result");
        foreach (var goal in report.Goals)
        {
            var name = goal.Name == "workload" ? "workload: the clients' history is linearizable" : goal.Name;
            goals.AddRow(Markup.Escape(name), goal.Kind.ToString(), GoalText(goal, report));
        }
        console.Write(goals);
        if (report.Violation is { } violation)
        {
            console.MarkupLineInterpolated($"[red]violated[/] {violation.Kind} '{violation.Property}' after {violation.Actions} actions: {violation.Message}");
            console.WriteLine("path (the simulator's decisions):");
            foreach (var decision in violation.Decisions) console.WriteLine("  " + decision);

            // Raw, not through Spectre, which wraps at the console's width: the command must stay one line in a log.
            console.Profile.Out.Writer.WriteLine($"saved to {saved}; replay with its trace: {ReplayHint.ConsoleReplay(saved!)}");
            if (page is not null) console.MarkupLineInterpolated($"counterexample written to {page}; open it in a browser");
            return ExitCodes.Failed;
        }

        if (!report.Passed)
        {
            var unreached = report.Goals.Where(g => g.Kind == PropertyKind.Sometimes && !g.Reached).Select(g => g.Name);
            console.MarkupLineInterpolated($"[red]failed[/]: goal(s) never reached within the bounds: {string.Join(", ", unreached)}; raise --depth, --ticks{(options.MaxDelays is null ? "" : ", --delays")} or --clients");
            return ExitCodes.Failed;
        }

        var bound = report.CutShort
            ? $" (cut short by {report.CutShortBy}: more states remain unexplored)"
            : options.MaxDelays is { } delays
                ? $"{(report.DepthBounded ? $" up to depth {options.MaxDepth}," : "")} on paths at most {delays} delays from the default schedule{(options.QuietFaults ? ", faults at quiet points free" : "")} (not every interleaving)"
                : report.DepthBounded ? $" up to depth {options.MaxDepth}" : " (every reachable state)";
        if (report.CutShortBy == "cancellation")
            console.MarkupLineInterpolated($"[yellow]interrupted[/]: no violation in {report.UniqueStates:N0} states{bound}");
        else
            console.MarkupLineInterpolated($"[green]passed[/]: no violation in {report.UniqueStates:N0} states{bound}");
        return ExitCodes.Ok;
    }

    private static string Completeness(ExplorationReport report) =>
        report.CutShort ? "cut short" : report.DepthBounded ? "to depth" : report.Options.MaxDelays is not null ? "within delays" : "yes";

    private static string GoalText(PropertyResult goal, ExplorationReport report) => goal.Kind switch
    {
        PropertyKind.Always => goal.Reached ? "held" : "[red]violated[/]",
        PropertyKind.Sometimes => goal.Reached ? "reached" : "[red]never reached[/]",
        _ when report.Options.LivenessRounds == 0 => "not checked (--liveness-rounds)",
        _ => goal.Reached ? "held in every liveness phase" : report.Violation?.Property == goal.Name ? "[red]violated[/]" : "not checked",
    };

    private static int PrintJson(IAnsiConsole console, ExplorationReport report, string? saved, string? page)
    {
        JsonLines.Write(console, new
        {
            protocol = report.Protocol,
            nodes = report.Options.Nodes,
            clients = report.Options.Clients,
            order = report.Options.Order == SearchOrder.BreadthFirst ? "bfs" : "dfs",
            threads = report.Options.Threads,
            symmetry = report.Options.Symmetry,
            delays = report.Options.MaxDelays,
            quietFaults = report.Options.QuietFaults,
            maxLead = report.Options.MaxTickLead,
            generated = report.GeneratedStates,
            unique = report.UniqueStates,
            uniquePerSecond = Math.Round(report.UniquePerSecond),
            depth = report.Depth,
            pruned = report.Pruned,
            depthBounded = report.DepthBounded,
            cutShort = report.CutShort,
            cutShortBy = report.CutShortBy,
            seconds = Math.Round(report.Elapsed.TotalSeconds, 3),
            peakBytes = report.PeakBytes,
            visitedBytes = report.VisitedBytes,
            passed = report.Passed,
            properties = report.Goals.Select(g => new { name = g.Name, kind = g.Kind.ToString(), reached = g.Reached }),
            violation = report.Violation is { } v
                ? new { property = v.Property, kind = v.Kind.ToString(), message = v.Message, actions = v.Actions, decisions = v.Decisions.Select(d => d.ToString()), schedule = saved, html = page }
                : null,
        });
        return report.Passed ? ExitCodes.Ok : ExitCodes.Failed;
    }

    /// <summary>Reports on the search's timer thread.</summary>
    private sealed class Reporter(Action<ExplorationProgress> report) : IProgress<ExplorationProgress>
    {
        public void Report(ExplorationProgress value) => report(value);
    }
}
