using System.Text;
using System.Text.Json;
using OrleansNodes.Simulation.Linearizability;
using OrleansNodes.TestServers;
using Xunit.Abstractions;

namespace OrleansNodes.Silo.Tests.Cluster;

/// <summary>
/// Three silo processes on the redis profile form one cluster; a client process loads the
/// replicated key-value store through all three gateways while the silo hosting the leader is
/// killed (SIGKILL) and restarted on the same ports. The load must go on, the silo must rejoin,
/// and everything the clients saw — final reads included — must be linearizable.
/// </summary>
public sealed class RedisClusterTests(ITestOutputHelper output) : IAsyncLifetime
{
    // The killed silo stays down longer than membership takes to declare it dead (5.6–12.1 s
    // measured with Orleans' defaults), so its nodes must come back on the survivors meanwhile.
    private static readonly TimeSpan LoadDuration = TimeSpan.FromSeconds(32);
    private static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RestartAfter = TimeSpan.FromSeconds(20);
    private readonly RedisServer _redis = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("orleansnodes-cluster-").FullName;

    public Task InitializeAsync() => _redis.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        TempFolder.TryDelete(_folder);
    }

    [RedisFact]
    public async Task KvLoad_LeaderSiloKilledThenRestarted_LoadGoesOnSiloRejoinsHistoryLinearizable()
    {
        var id = UniqueId();
        string[] ids = ["--cluster-id", id, "--service-id", id];
        var silos = new SiloProcess[3];
        ChildProcess? load = null;
        var report = new StringBuilder();
        try
        {
            await Task.WhenAll(Enumerable.Range(0, silos.Length).Select(async i => silos[i] = await SiloProcess.StartOnFreePortsAsync(
                ["--storage", "redis", "--redis", _redis.ConnectionString, .. ids])));

            // Load through all three gateways.
            var historyPath = Path.Combine(_folder, "history.jsonl");
            load = ConsoleProcess.Start(
            [
                "kv", "load", "--gateway", string.Join(",", silos.Select(s => s.Gateway)), .. ids,
                "--duration", LoadDuration.TotalSeconds.ToString(), "--timeout-ms", "5000", "--seed", "5",
                "--history", historyPath, "--final-reads", "--json",
            ]);

            // A few seconds in, kill the silo hosting the leader; restart it 20 s later on the same ports.
            await Task.Delay(KillAfter);
            var victim = await LeaderSiloAsync(silos, report) ?? silos[0];
            report.AppendLine($"killing the silo on port {victim.SiloPort} (gateway {victim.Gateway})");
            victim.Kill();
            // Taken once the process is gone: an operation invoked later cannot have been served by it.
            var killedAt = UnixMicrosNow();
            await Task.Delay(RestartAfter);
            try
            {
                await RestartAsync(victim);
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException)
            {
                Assert.Fail($"the killed silo did not come back: {e.Message}\n{Diagnostics(report, silos, load)}");
            }
            var restartedAt = UnixMicrosNow();

            // The restarted silo rejoined, under load: it serves its status (StartAsync waited for that) and requests through its own gateway.
            var put = await ConsoleProcess.RunAsync(["kv", "put", "rejoined", "yes", "--gateway", victim.Gateway, .. ids]);
            Assert.True(put.ExitCode == 0, $"put through the restarted silo: {put.Output}\n{Diagnostics(report, silos, load)}");
            var get = await ConsoleProcess.RunAsync(["kv", "get", "rejoined", "--gateway", victim.Gateway, .. ids]);
            Assert.True(get.ExitCode == 0 && get.Output.Trim() == "yes", $"get through the restarted silo: {get.Output}\n{Diagnostics(report, silos, load)}");

            var exit = await load.WaitForExitAsync(LoadDuration + TimeSpan.FromSeconds(60));
            var output = load.Output();
            Assert.True(exit == 0, $"kv load exited with {exit}:\n{output}");
            var summary = output.Split('\n').Last(l => l.StartsWith('{'));
            report.AppendLine($"load summary: {summary}");

            // The load kept completing operations after the kill.
            var history = HistoryJson.Load(historyPath);
            var answeredAfterKill = history.Operations.Count(o => o.Result.Outcome != Outcome.Unknown && o.Invoke > killedAt);
            var answeredWhileDown = history.Operations.Count(o => o.Result.Outcome != Outcome.Unknown && o.Invoke > killedAt && o.Complete < restartedAt);
            report.AppendLine($"{history.Count} operations; answered after the kill: {answeredAfterKill} (while the silo was down: {answeredWhileDown})");
            Assert.True(answeredAfterKill > 0, $"no operation was answered after the kill\n{Diagnostics(report, silos, load)}");
            // The cluster kept serving without the killed silo: its nodes came back on the other two.
            Assert.True(answeredWhileDown > 0, $"no operation was answered while the killed silo was down\n{Diagnostics(report, silos, load)}");

            // Everything the clients saw, final reads included, is linearizable.
            // Unknown outcomes (requests in flight at the kill) may each take effect anywhere later,
            // and a key with many of them can exhaust the default search budget; that is no
            // verdict, so such a key gets ten times the budget before the test judges.
            var result = LinearizabilityChecker.Check(history, KeyValueModel.Instance);
            if (result.Verdict == Verdict.Unknown)
            {
                report.AppendLine($"checker: {result.Explanation}; checking again with 10x the budget");
                result = LinearizabilityChecker.Check(history, KeyValueModel.Instance, CheckOptions.Default with { MaxStepsPerKey = 10 * CheckOptions.Default.MaxStepsPerKey });
            }
            Assert.True(result.IsLinearizable, $"{result.Explanation}\n{Diagnostics(report, silos, load)}");
            report.AppendLine($"linearizable: {result.Explanation}");
        }
        finally
        {
            output.WriteLine(report.ToString());
            load?.Dispose();
            foreach (var silo in silos) silo?.Dispose();
        }
    }

    /// <summary>Restarts a killed silo on its own ports, trying again while the dead process's ports are still held.</summary>
    private static async Task RestartAsync(SiloProcess silo)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await silo.StartAsync();
                return;
            }
            catch (InvalidOperationException e) when (attempt < 5 && e.Message.Contains("Address already in use", StringComparison.Ordinal))
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }

    /// <summary>The silo whose node reports itself leader in <c>/status/kv</c>, asking each running silo; null when none does.</summary>
    private static async Task<SiloProcess?> LeaderSiloAsync(SiloProcess[] silos, StringBuilder report)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var silo in silos.Where(s => s.IsRunning))
        {
            try
            {
                using var status = JsonDocument.Parse(await http.GetStringAsync(new Uri(silo.Url, "status/kv")));
                foreach (var node in status.RootElement.GetProperty("nodes").EnumerateArray())
                {
                    var state = node.GetProperty("state").GetString() ?? "";
                    if (!state.StartsWith("Leader ", StringComparison.Ordinal)) continue;
                    // "127.0.0.1:PORT@GENERATION": the silo-to-silo endpoint names the process.
                    var hostedOn = node.GetProperty("silo").GetString() ?? "";
                    report.AppendLine($"leader {node.GetProperty("node").GetString()} on {hostedOn}: {state}");
                    return silos.FirstOrDefault(s => hostedOn.StartsWith($"127.0.0.1:{s.SiloPort}@", StringComparison.Ordinal));
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
            {
                report.AppendLine($"status of the silo on port {silo.SiloPort}: {e.Message}");
            }
        }
        report.AppendLine("no silo reported a leader; killing the first");
        return null;
    }

    private static string Diagnostics(StringBuilder report, SiloProcess?[] silos, ChildProcess? load)
    {
        var text = new StringBuilder(report.ToString());
        foreach (var silo in silos.OfType<SiloProcess>())
            text.AppendLine($"--- silo on port {silo.SiloPort}:\n{Tail(silo)}");
        if (load is not null) text.AppendLine($"--- kv load:\n{load.Tail(2000)}");
        return text.ToString();
    }

    private static string Tail(SiloProcess silo)
    {
        try
        {
            return silo.Process.Tail(3000);
        }
        catch (InvalidOperationException)
        {
            return "(not started)";
        }
    }

    private static long UnixMicrosNow() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;

    private static string UniqueId() => $"t{Guid.NewGuid():N}"[..12];
}
