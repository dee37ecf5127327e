using System.CommandLine;
using OrleansNodes.Client.Remote;
using Spectre.Console;
using Command = System.CommandLine.Command;

namespace OrleansNodes.Client.Commands;

/// <summary>
/// <c>orleansnodes watch NAME</c>: a cluster's status, refreshed every interval — a live table
/// on a terminal, one table per refresh when the output is redirected. <c>--count N</c> stops
/// after N refreshes; otherwise it runs until Ctrl+C. With <c>-o json</c>, one JSON object per
/// refresh, one per line (<see cref="StatusJson.Refresh"/>), on a terminal too.
/// </summary>
public static class WatchCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var name = new Argument<string>("name") { Description = "The cluster to watch." };
        var interval = OptionRules.Range(
            new Option<int>("--interval-ms") { Description = "Time between refreshes, in milliseconds.", DefaultValueFactory = _ => 1_000 },
            1, 3_600_000);
        var count = OptionRules.Require(
            new Option<int?>("--count") { Description = "Stop after this many refreshes (default: until Ctrl+C)." },
            v => v is null or > 0, "--count must be a positive number");
        var command = new Command("watch", "Watch a cluster's nodes live.") { name, interval, count };
        var output = OutputOption.Create(command);
        var remote = new RemoteOptions();
        remote.AddTo(command);
        command.SetAction((parse, cancellation) => SiloConnection.RunAsync(remote.Read(parse), async (silo, token) =>
        {
            var cluster = parse.GetValue(name)!;
            await ClusterOption.RequireAsync(silo, cluster);
            var refreshes = parse.GetValue(count) ?? int.MaxValue;
            var pause = TimeSpan.FromMilliseconds(parse.GetValue(interval));
            try
            {
                if (parse.IsJson(output)) await PrintJsonAsync(console, silo, cluster, refreshes, pause, token);
                else if (console.Profile.Capabilities.Interactive) await LiveAsync(console, silo, cluster, refreshes, pause, token);
                else await PrintAsync(console, silo, cluster, refreshes, pause, token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Ctrl+C ends a watch; that is its normal way to stop.
            }
            return ExitCodes.Ok;
        }, cancellation));
        return command;
    }

    private static async Task LiveAsync(IAnsiConsole console, SiloConnection silo, string cluster, int refreshes, TimeSpan pause, CancellationToken token)
    {
        var first = StatusTables.Nodes(await silo.Nodes.StatusAsync(cluster));
        await console.Live(first).StartAsync(async live =>
        {
            for (var i = 1; i < refreshes; i++)
            {
                await Task.Delay(pause, token);
                live.UpdateTarget(StatusTables.Nodes(await silo.Nodes.StatusAsync(cluster)));
                live.Refresh();
            }
        });
    }

    private static async Task PrintAsync(IAnsiConsole console, SiloConnection silo, string cluster, int refreshes, TimeSpan pause, CancellationToken token)
    {
        for (var i = 0; i < refreshes; i++)
        {
            if (i > 0) await Task.Delay(pause, token);
            var status = await silo.Nodes.StatusAsync(cluster);
            console.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff}Z refresh {i + 1}");
            console.Write(StatusTables.Nodes(status));
        }
    }

    private static async Task PrintJsonAsync(IAnsiConsole console, SiloConnection silo, string cluster, int refreshes, TimeSpan pause, CancellationToken token)
    {
        for (var i = 0; i < refreshes; i++)
        {
            if (i > 0) await Task.Delay(pause, token);
            var status = await silo.Nodes.StatusAsync(cluster);
            JsonLines.Write(console, StatusJson.Refresh(i + 1, DateTimeOffset.UtcNow, status));
        }
    }
}
