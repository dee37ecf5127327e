using System.Text;
using OrleansNodes.TestServers;
using Xunit.Abstractions;

namespace OrleansNodes.Silo.Tests.Cluster;

/// <summary>
/// Three silo processes on the redis profile, with Orleans' default membership settings, form one
/// cluster; a client process loads the replicated key-value store through all three gateways
/// while silos are killed (SIGKILL), frozen (SIGSTOP) and restarted. The replicas run on distinct
/// silos, so losing one silo loses one replica: the store must keep serving, and everything the
/// clients saw, final reads included, must be linearizable. Faults start only once the load has
/// its first answer; every wait is for a condition, bounded generously.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);
    private readonly RedisServer _redis = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("orleansnodes-failover-").FullName;
    private readonly StringBuilder _report = new();

    public Task InitializeAsync() => _redis.InitializeAsync();

    public async Task DisposeAsync()
    {
        output.WriteLine(_report.ToString());
        await _redis.DisposeAsync();
        TempFolder.TryDelete(_folder);
    }

    [RedisFact]
    public async Task KvLoad_LeaderSiloKilledThenRestarted_OthersServeWithoutItAndItRejoins()
    {
        using var group = await StartSpreadAsync();
        var historyPath = Path.Combine(_folder, "history.jsonl");
        using var load = StartLoad(group, historyPath, TimeSpan.FromSeconds(25));
        await load.WaitForOutputAsync(FirstAcknowledged, Generous);

        var victim = await LeaderSiloAsync(group);
        _report.AppendLine($"killing silo on port {victim.SiloPort}, the leader's");
        victim.Kill();
        // Taken once the process is gone: an operation invoked later cannot have been served by it.
        var killedAt = LoadHistory.NowMicros();
        // A new leader on a live silo is the protocol failing over; the dead silo's node stays
        // down until membership declares it dead or the silo returns.
        await group.WaitForPlacementAsync(places => places.Any(p => p.Leader && p.Silo is { IsRunning: true }), "a leader on a live silo", Generous);

        await RestartAsync(victim);
        // Taken once it serves again: operations completed earlier were served without it.
        var restartedAt = LoadHistory.NowMicros();
        await group.WaitForAllAnsweringAsync(Generous);
        // It serves requests through its own gateway again.
        var put = await ConsoleProcess.RunAsync(["kv", "put", "rejoined", "yes", "--gateway", victim.Gateway, .. group.Ids]);
        Assert.True(put.ExitCode == 0, $"put through the restarted silo: {put.Output}\n{Diagnostics(group, load)}");
        var get = await ConsoleProcess.RunAsync(["kv", "get", "rejoined", "--gateway", victim.Gateway, .. group.Ids]);
        Assert.True(get.ExitCode == 0 && get.Output.Trim() == "yes", $"get through the restarted silo: {get.Output}\n{Diagnostics(group, load)}");

        var history = await FinishAsync(load, historyPath, TimeSpan.FromSeconds(25), group);
        var servedWithout = history.AnsweredBetween(killedAt, restartedAt);
        _report.AppendLine($"answered while the leader's silo was down: {servedWithout}; writes acknowledged after the kill: {history.AcknowledgedWritesAfter(killedAt)}");
        Assert.True(servedWithout > 0, $"nothing was answered between the kill and the restart\n{_report}");
        // The first write after the kill, bounded only by the generous timeout: how soon is the benchmark's business.
        Assert.Contains(history.History.Operations, o => o.Command.IsMutation && o.Result.Outcome == Simulation.Linearizability.Outcome.Ok
            && o.Invoke > killedAt && o.Complete < killedAt + (long)Generous.TotalMicroseconds);
        AssertLinearizable(history, group, load);
    }

    [RedisFact]
    public async Task KvLoad_LeaderSiloFrozen15s_OthersServeMeanwhileAndHistoryLinearizable()
    {
        using var group = await StartSpreadAsync();
        var historyPath = Path.Combine(_folder, "history.jsonl");
        using var load = StartLoad(group, historyPath, TimeSpan.FromSeconds(30));
        await load.WaitForOutputAsync(FirstAcknowledged, Generous);

        var victim = await LeaderSiloAsync(group);
        _report.AppendLine($"freezing silo on port {victim.SiloPort}, the leader's, for 15 s");
        await victim.PauseAsync();
        var frozenAt = LoadHistory.NowMicros();
        try
        {
            // A frozen process keeps its sockets open: nothing fails fast, so only bounded waits help.
            await group.WaitForPlacementAsync(places => places.Any(p => p.Leader && p.Silo != victim), "a leader on a silo that is not frozen", Generous);
            // The live silos' status still answers, and says which node does not.
            await group.WaitForPlacementAsync(places => places.Count(p => !p.Answered) == 1, "the frozen node listed as not answering", Generous);
            var remaining = TimeSpan.FromSeconds(15) - TimeSpan.FromMicroseconds(LoadHistory.NowMicros() - frozenAt);
            if (remaining > TimeSpan.Zero) await Task.Delay(remaining);
        }
        finally
        {
            await victim.ResumeAsync();
        }
        var resumedAt = LoadHistory.NowMicros();
        // Resumed, its stale activations' writes are refused and it rejoins, or membership voted it
        // dead meanwhile and it stops itself; either way every node runs somewhere again.
        await group.WaitForAllAnsweringAsync(Generous);
        _report.AppendLine($"the frozen silo is {(victim.IsRunning ? "running again" : "gone (voted dead)")}");

        var history = await FinishAsync(load, historyPath, TimeSpan.FromSeconds(30), group);
        var servedWhileFrozen = history.AnsweredBetween(frozenAt, resumedAt);
        _report.AppendLine($"answered while the leader's silo was frozen: {servedWhileFrozen}");
        Assert.True(history.AcknowledgedWritesAfter(frozenAt) > 0 && servedWhileFrozen > 0, $"nothing was answered while the leader's silo was frozen\n{_report}");
        AssertLinearizable(history, group, load);
    }

    [RedisFact]
    public async Task KvLoad_RandomSiloKilledEvery10sAndRestarted_EveryNodeAnswersAfterEachReturnAndHistoryLinearizable()
    {
        using var group = await StartSpreadAsync();
        var historyPath = Path.Combine(_folder, "history.jsonl");
        var chaos = TimeSpan.FromSeconds(60);
        using var load = StartLoad(group, historyPath, chaos + TimeSpan.FromSeconds(10));
        await load.WaitForOutputAsync(FirstAcknowledged, Generous);

        var random = new Random(14);
        var started = DateTime.UtcNow;
        while (DateTime.UtcNow - started < chaos)
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            var victim = group.Silos[random.Next(group.Silos.Count)];
            victim.Kill();
            await Task.Delay(TimeSpan.FromSeconds(5));
            await RestartAsync(victim);
            var returned = DateTime.UtcNow;
            await group.WaitForAllAnsweringAsync(Generous);
            _report.AppendLine($"silo on port {victim.SiloPort} killed and restarted; every node answered {(DateTime.UtcNow - returned).TotalSeconds:0.0} s after its return");
        }

        var history = await FinishAsync(load, historyPath, chaos, group);
        AssertLinearizable(history, group, load);
    }

    private async Task<SiloGroup> StartSpreadAsync()
    {
        var group = await SiloGroup.StartAsync(3, ["--storage", "redis", "--redis", _redis.ConnectionString]);
        try
        {
            // Spread by default: each replica on a silo of its own, as the status reports it.
            var placement = await group.WaitForSpreadAsync(Generous);
            _report.AppendLine($"placement: {group.Describe(placement)}");
            return group;
        }
        catch (TimeoutException e)
        {
            var message = $"{e.Message}\n{group.Tails()}";
            group.Dispose();
            Assert.Fail(message);
            throw;
        }
    }

    private static ChildProcess StartLoad(SiloGroup group, string historyPath, TimeSpan duration) => ConsoleProcess.Start(
    [
        "kv", "load", "--gateway", group.Gateways, .. group.Ids, "--clients", "16",
        "--duration", duration.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "--timeout-ms", "10000", "--seed", "5",
        "--history", historyPath, "--final-reads", "--json",
    ]);

    private static async Task<SiloProcess> LeaderSiloAsync(SiloGroup group)
    {
        var placement = await group.WaitForPlacementAsync(places => places.Any(p => p.Leader && p.Silo is not null), "a leader", Generous);
        return placement.First(p => p.Leader).Silo!;
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

    private async Task<LoadHistory> FinishAsync(ChildProcess load, string historyPath, TimeSpan duration, SiloGroup group)
    {
        var exit = await load.WaitForExitAsync(duration + Generous);
        Assert.True(exit == 0, $"kv load exited with {exit}:\n{load.Tail()}\n{group.Tails()}");
        _report.AppendLine($"load summary: {load.Output().Split('\n').Last(l => l.StartsWith('{'))}");
        return LoadHistory.Load(historyPath);
    }

    private void AssertLinearizable(LoadHistory history, SiloGroup group, ChildProcess load)
    {
        var result = history.Check(_report);
        Assert.True(result.IsLinearizable, $"{result.Explanation}\n{Diagnostics(group, load)}");
    }

    private string Diagnostics(SiloGroup group, ChildProcess load) => $"{_report}\n{group.Tails()}\n--- kv load:\n{load.Tail(2000)}";

    private const string FirstAcknowledged = "kv load: first operation acknowledged";
}
