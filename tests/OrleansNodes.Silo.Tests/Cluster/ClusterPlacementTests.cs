using System.Text;
using OrleansNodes.TestServers;
using Xunit.Abstractions;

namespace OrleansNodes.Silo.Tests.Cluster;

/// <summary>Where the replicas run as silos join: spread over them, moved one at a time, under load.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterPlacementTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);

    // Missed probes before membership suspects a silo in the frozen-silo test (Orleans' default is 3).
    private const int MissedProbesLimit = 10;
    private readonly RedisServer _redis = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("orleansnodes-placement-").FullName;
    private readonly StringBuilder _report = new();

    public Task InitializeAsync() => _redis.InitializeAsync();

    public async Task DisposeAsync()
    {
        output.WriteLine(_report.ToString());
        await _redis.DisposeAsync();
        TempFolder.TryDelete(_folder);
    }

    [RedisFact]
    public async Task TwoSilosJoinAfterTheClusterStarted_ReplicasMoveOntoThemUnderLoad_HistoryLinearizable()
    {
        using var group = await SiloGroup.StartAsync(1, ["--storage", "redis", "--redis", _redis.ConnectionString]);
        var alone = await group.WaitForAllAnsweringAsync(Generous);
        Assert.All(alone, place => Assert.Same(group.Silos[0], place.Silo));

        var historyPath = Path.Combine(_folder, "history.jsonl");
        using var load = ConsoleProcess.Start(
        [
            "kv", "load", "--gateway", group.Gateways, .. group.Ids, "--clients", "8", "--duration", "20", "--timeout-ms", "10000",
            "--history", historyPath, "--final-reads", "--json",
        ]);
        await load.WaitForOutputAsync("kv load: first operation acknowledged", Generous);

        await group.AddAsync(2);
        var spread = await group.WaitForSpreadAsync(Generous);
        _report.AppendLine($"after two silos joined: {group.Describe(spread)}");

        var exit = await load.WaitForExitAsync(Generous);
        Assert.True(exit == 0, $"kv load exited with {exit}:\n{load.Tail()}");
        _report.AppendLine($"load summary: {load.Output().Split('\n').Last(l => l.StartsWith('{'))}");
        // Moving a replica ends its waiting requests as unknown outcomes; the clients retry them
        // with the same id, and the protocol applies each at most once.
        var result = LoadHistory.Load(historyPath).Check(_report);
        Assert.True(result.IsLinearizable, $"{result.Explanation}\n{_report}\n{group.Tails()}");
    }

    [RedisFact]
    public async Task SiloFrozenRightAfterReplicasMovedOffIt_TheOthersElectAndServeWithoutWaitingForMembership()
    {
        // All three replicas start on the first silo; two move away as two silos join. Each
        // joining silo learned where the replicas were while they were all on the first, and
        // Orleans corrects such a cached address only through an answer forwarded by the old
        // silo: with that silo frozen at once, messages between the two moved replicas would be
        // lost until membership declared it dead, and the two could not elect or commit.
        // Membership here suspects a silo after ten missed probes of five seconds, not three, so
        // that it cannot act within the put's timeout even on a loaded machine: the put then
        // succeeds only if the nodes route around the frozen silo on their own.
        using var group = await SiloGroup.StartAsync(1, ["--storage", "redis", "--redis", _redis.ConnectionString, "--OrleansNodes:Membership:MissedProbesLimit", MissedProbesLimit.ToString()]);
        await group.WaitForAllAnsweringAsync(Generous);
        await group.AddAsync(2);
        var spread = await group.WaitForSpreadAsync(Generous);
        var left = group.Silos[0];
        _report.AppendLine($"spread: {group.Describe(spread)}; freezing the first silo at once");
        await left.PauseAsync();
        try
        {
            string gateways = string.Join(",", group.Silos.Skip(1).Select(s => s.Gateway));
            // One put, given far longer than a failover (about a second) and less than membership
            // takes to declare the frozen silo dead (at least ten probes of five seconds).
            var putting = System.Diagnostics.Stopwatch.StartNew();
            var put = await ConsoleProcess.RunAsync(["kv", "put", "moved", "yes", "--gateway", gateways, "--timeout-ms", "30000", .. group.Ids], Generous);
            _report.AppendLine($"put answered after {putting.Elapsed.TotalSeconds:0.0} s (console start included)");
            Assert.True(put.ExitCode == 0, $"put: {put.Output}\n{_report}\n{group.Tails()}");
            var get = await ConsoleProcess.RunAsync(["kv", "get", "moved", "--gateway", gateways, "--timeout-ms", "30000", .. group.Ids], Generous);
            Assert.True(get.ExitCode == 0 && get.Output.Trim() == "yes", $"get: {get.Output}\n{_report}\n{group.Tails()}");
        }
        finally
        {
            await left.ResumeAsync();
        }
    }
}
