using System.CommandLine;
using System.Globalization;
using OrleansNodes.Client.Load;
using OrleansNodes.Client.Remote;
using OrleansNodes.Simulation.Linearizability;
using Spectre.Console;
using Command = System.CommandLine.Command;

namespace OrleansNodes.Client.Commands;

/// <summary>
/// <c>orleansnodes kv load</c>: concurrent client sessions issuing a seeded mix of put, get,
/// cas and append for a while, recording every operation (with <c>--history</c>, as a history
/// <c>orleansnodes check</c> verifies), and printing throughput and latency. Errors do not stop
/// it: an operation without an answer is an unknown outcome and the load goes on, so a load can
/// run across a silo crash. Exit 0 when the load ran, 2 on bad input, 3 when no silo could be
/// reached at the start or the history could not be written.
/// </summary>
public static class KvLoadCommand
{
    /// <summary>The default length of a load when neither <c>--duration</c> nor <c>--ops</c> is given.</summary>
    public const double DefaultDurationSeconds = 10;

    /// <summary>The most operations one load may ask for with <c>--ops</c>.</summary>
    public const long MaxOps = 10_000_000;

    /// <summary>The line written to standard error once the first operation of the load is answered.</summary>
    public const string FirstAcknowledgedLine = "kv load: first operation acknowledged";

    /// <summary>Builds the command.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var clients = new Option<int>("--clients") { HelpName = "N", Description = "Concurrent client sessions, each with one request in flight.", DefaultValueFactory = _ => 8 };
        OptionRules.Require(clients, v => v is >= 1 and <= 1000, "--clients must be from 1 to 1000");
        var keys = new Option<int>("--keys") { HelpName = "N", Description = "Keys k0..k{N-1} the operations spread over.", DefaultValueFactory = _ => 16 };
        OptionRules.Require(keys, v => v is >= 1 and <= 1_000_000, "--keys must be from 1 to 1000000");
        var duration = new Option<double?>("--duration") { HelpName = "SECONDS", Description = $"How long to load, in seconds (default {DefaultDurationSeconds:0} unless --ops is given)." };
        OptionRules.Require(duration, v => v is null or (> 0 and <= 86_400), "--duration must be more than 0 and at most 86400 seconds");
        var ops = new Option<long?>("--ops") { HelpName = "N", Description = "Stop after this many operations in all (instead of --duration)." };
        // Every operation is kept (its latency, and with --history the operation itself): the count sizes memory.
        OptionRules.Range(ops, 1, MaxOps);
        var seed = new Option<ulong>("--seed") { HelpName = "N", Description = "Seeds the choice of operations and keys.", DefaultValueFactory = _ => 1 };
        var mix = new Option<string>("--mix") { HelpName = "KIND=WEIGHT,...", Description = "Weights of the operation kinds, e.g. put=100 for puts only.", DefaultValueFactory = _ => LoadMix.Default.ToString() };
        mix.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && LoadMix.Parse(result.Tokens[^1].Value, out var error) is null) result.AddError(error!);
        });
        var history = new Option<FileInfo?>("--history") { HelpName = "FILE", Description = "Write every operation to FILE as orleansnodes-history/1 JSON lines (check it with `orleansnodes check FILE`)." };
        history.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<FileInfo?>() is { } file && (Directory.Exists(file.FullName) || !Directory.Exists(file.DirectoryName)))
                result.AddError($"--history {file}: {(Directory.Exists(file.FullName) ? "is a directory" : "its folder does not exist")}");
        });
        var valueBytes = new Option<int>("--value-bytes") { HelpName = "N", Description = "Pad every value written to N characters (puts, cas and the preload).", DefaultValueFactory = _ => 0 };
        OptionRules.Require(valueBytes, v => v is >= 0 and <= 1 << 20, "--value-bytes must be from 0 to 1048576");
        var preload = new Option<long>("--preload") { HelpName = "N", Description = "Before measuring, write N distinct keys p0..p{N-1} once each (not recorded), so the load runs on a store that holds data.", DefaultValueFactory = _ => 0 };
        OptionRules.Require(preload, v => v is >= 0 and <= 100_000_000, "--preload must be from 0 to 100000000");
        var finalReads = new Option<bool>("--final-reads") { Description = "After the load, read every key once (recorded too): a lost acknowledged write then shows in the history." };
        var warmup = new Option<double?>("--warmup") { HelpName = "SECONDS", Description = "Before measuring, run the same load this long, not recorded or counted: a fresh client compiles its code and the cluster serves the load before the figures start." };
        OptionRules.Require(warmup, v => v is null or (> 0 and <= 3600), "--warmup must be more than 0 and at most 3600 seconds");
        var json = new Option<bool>("--json") { Description = "Print the summary as one JSON object (the same as -o json)." };
        var rate = RateOption();

        var command = new Command("load", "Load a key-value cluster with concurrent sessions; print throughput and latency, optionally record the history.")
        {
            clients, keys, duration, ops, seed, mix, valueBytes, preload, rate, warmup, history, finalReads, json,
        };
        command.Validators.Add(result =>
        {
            // Whether both were given, not their values: a value that does not convert is its own error.
            if (result.GetResult(duration) is not null && result.GetResult(ops) is not null) result.AddError("give --duration or --ops, not both");
            // An unanswered warm-up put may still be applied after the history's initial reads.
            if (result.GetResult(warmup) is not null && (result.GetResult(history) is not null || result.GetResult(finalReads) is not null))
                result.AddError("--warmup cannot be combined with --history or --final-reads: an unanswered warm-up operation could still land inside the recorded history");
        });
        var cluster = ClusterOption.Create(command);
        var output = OutputOption.Create(command);
        var remote = new RemoteOptions();
        remote.AddTo(command);

        command.SetAction((parse, cancellation) =>
        {
            var target = remote.Read(parse);
            var clusterName = parse.GetValue(cluster)!;
            var givenOps = parse.GetValue(ops);
            var spec = new LoadSpec(
                parse.GetValue(clients),
                parse.GetValue(keys),
                LoadMix.Parse(parse.GetValue(mix)!, out _)!,
                parse.GetValue(seed),
                givenOps is null ? TimeSpan.FromSeconds(parse.GetValue(duration) ?? DefaultDurationSeconds) : null,
                givenOps,
                parse.GetValue(finalReads),
                parse.GetValue(valueBytes),
                parse.GetValue(preload),
                parse.GetValue(rate),
                parse.GetValue(warmup) is { } seconds ? TimeSpan.FromSeconds(seconds) : null);
            var historyFile = parse.GetValue(history);
            var asJson = parse.GetValue(json) || parse.IsJson(output);
            return SiloConnection.RunAsync(target, async (silo, token) =>
            {
                await ClusterOption.RequireAsync(silo, clusterName, KvCommand.Protocol);
                // On standard error, so that it neither mixes into --json nor needs a terminal.
                var recorder = new LoadRecorder { FirstAcknowledged = () => Console.Error.WriteLine(FirstAcknowledgedLine), KeepsHistory = historyFile is not null };
                var progress = asJson || !console.Profile.Capabilities.Interactive
                    ? (Action<long, long>?)null
                    : (done, of) => console.Profile.Out.Writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"preloaded {done:N0} of {of:N0} keys"));
                var generator = new LoadGenerator(silo.Nodes, clusterName, target.Timeout) { PreloadProgress = progress };
                var summary = await generator.RunAsync(spec, recorder, historyFile?.FullName, token);
                if (historyFile is not null) HistoryJson.Save(recorder.History(), historyFile.FullName);
                Print(console, summary, asJson, clusterName, target);
                return ExitCodes.Ok;
            }, cancellation);
        });
        return command;
    }

    /// <summary><c>--rate N</c>: operations started per second at most, in all (default: as fast as the sessions are answered).</summary>
    public static Option<double?> RateOption()
    {
        var rate = new Option<double?>("--rate") { HelpName = "N", Description = "Start at most N operations per second in all (default: each session as fast as it is answered)." };
        OptionRules.Require(rate, v => v is null or (> 0 and <= 1_000_000), "--rate must be more than 0 and at most 1000000");
        return rate;
    }

    private static void Print(IAnsiConsole console, LoadSummary summary, bool asJson, string cluster, SiloTarget target)
    {
        var output = console.Profile.Out.Writer;
        if (asJson)
        {
            output.WriteLine(summary.ToJson());
            return;
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"kv load on cluster {cluster} at {target.GatewayText}"));
        foreach (var line in summary.Lines()) output.WriteLine(line);
    }
}
