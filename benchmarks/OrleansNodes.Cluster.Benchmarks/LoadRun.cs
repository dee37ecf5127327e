using System.Globalization;
using System.Text.Json;
using OrleansNodes.TestServers;

namespace OrleansNodes.Cluster.Benchmarks;

/// <summary>
/// One <c>orleansnodes kv load --json</c> run as a child process, the way an operator would
/// measure a deployment, and the figures its summary reports. <see cref="StartMicros"/> and
/// <see cref="Seconds"/> place the load phase (final reads excluded) on the Unix-microsecond
/// axis of its history, where a benchmark puts its own fault times.
/// </summary>
public sealed record LoadRun(double PutsPerSecond, double LatencyMsP50, double LatencyMsP99, long Ops, long Ok, long Unknown, long StartMicros, double Seconds)
{
    /// <summary>The console line that says the load reached the cluster (<c>KvLoadCommand.FirstAcknowledgedLine</c>; the client project is not referenced).</summary>
    public const string FirstAcknowledgedLine = "kv load: first operation acknowledged";

    /// <summary>When the load phase ended, in Unix microseconds.</summary>
    public long EndMicros => StartMicros + (long)(Seconds * 1e6);

    /// <summary>
    /// The console's arguments for puts only from <paramref name="clients"/> sessions on
    /// <paramref name="keys"/> keys (16 by default) for <paramref name="duration"/>, each request bounded by <paramref name="timeoutMs"/>; with
    /// <paramref name="history"/>, every operation is recorded there, and with
    /// <paramref name="finalReads"/> every key is read once after the load.
    /// </summary>
    public static string[] Arguments(string gateways, string[] ids, int clients, TimeSpan duration, string? history = null, int timeoutMs = 5000, bool finalReads = false, int keys = 16) =>
    [
        "kv", "load", "--gateway", gateways, .. ids,
        "--clients", clients.ToString(CultureInfo.InvariantCulture), "--keys", keys.ToString(CultureInfo.InvariantCulture), "--mix", "put=100",
        "--duration", duration.TotalSeconds.ToString(CultureInfo.InvariantCulture), "--timeout-ms", timeoutMs.ToString(CultureInfo.InvariantCulture), "--json",
        .. history is null ? Array.Empty<string>() : ["--history", history],
        .. finalReads ? ["--final-reads"] : Array.Empty<string>(),
    ];

    /// <summary>Starts a load (see <see cref="Arguments"/>) on <paramref name="gateways"/>.</summary>
    public static ChildProcess Start(IEnumerable<string> gateways, string[] ids, int clients, TimeSpan duration, string? history = null, int timeoutMs = 5000, bool finalReads = false, int keys = 16) =>
        ConsoleProcess.Start(Arguments(string.Join(",", gateways), ids, clients, duration, history, timeoutMs, finalReads, keys));

    /// <summary>Runs a load to its end and reads its summary.</summary>
    public static async Task<LoadRun> RunAsync(IEnumerable<string> gateways, string[] ids, int clients, TimeSpan duration, string? history = null, int timeoutMs = 5000)
    {
        using var process = Start(gateways, ids, clients, duration, history, timeoutMs);
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
            root.GetProperty("ops").GetInt64(),
            root.GetProperty("ok").GetInt64(),
            root.GetProperty("unknown").GetInt64(),
            root.GetProperty("startMicros").GetInt64(),
            root.GetProperty("seconds").GetDouble());
    }
}
