using System.Globalization;
using System.Text.Json;
using OrleansNodes.TestServers;

namespace OrleansNodes.Cluster.Benchmarks;

/// <summary>
/// One <c>orleansnodes kv load --json</c> run as a child process, the way an operator would
/// measure a deployment, and the figures its summary reports.
/// </summary>
public sealed record LoadRun(double PutsPerSecond, double LatencyMsP50, double LatencyMsP99, long Ok, long Unknown)
{
    /// <summary>
    /// Loads <paramref name="gateways"/> with puts only from <paramref name="clients"/> sessions
    /// for <paramref name="duration"/>; with <paramref name="history"/>, records every operation there.
    /// </summary>
    public static ChildProcess Start(IEnumerable<string> gateways, string[] ids, int clients, TimeSpan duration, string? history = null) =>
        ConsoleProcess.Start(
        [
            "kv", "load", "--gateway", string.Join(",", gateways), .. ids,
            "--clients", clients.ToString(CultureInfo.InvariantCulture), "--keys", "16", "--mix", "put=100",
            "--duration", duration.TotalSeconds.ToString(CultureInfo.InvariantCulture), "--timeout-ms", "5000", "--json",
            .. history is null ? Array.Empty<string>() : ["--history", history],
        ]);

    /// <summary>Runs a load to its end and reads its summary.</summary>
    public static async Task<LoadRun> RunAsync(IEnumerable<string> gateways, string[] ids, int clients, TimeSpan duration, string? history = null)
    {
        using var process = Start(gateways, ids, clients, duration, history);
        return await FinishAsync(process, duration);
    }

    /// <summary>Waits for a started load and reads its summary.</summary>
    public static async Task<LoadRun> FinishAsync(ChildProcess process, TimeSpan duration)
    {
        var exit = await process.WaitForExitAsync(duration + TimeSpan.FromMinutes(1));
        var output = process.Output();
        var json = output.Split('\n').LastOrDefault(l => l.StartsWith('{'));
        if (exit != 0 || json is null) throw new InvalidOperationException($"kv load exited with {exit}:\n{output}");
        using var summary = JsonDocument.Parse(json);
        var root = summary.RootElement;
        return new LoadRun(
            root.GetProperty("putsPerSecond").GetDouble(),
            root.GetProperty("latencyMsP50").GetDouble(),
            root.GetProperty("latencyMsP99").GetDouble(),
            root.GetProperty("ok").GetInt64(),
            root.GetProperty("unknown").GetInt64());
    }
}
