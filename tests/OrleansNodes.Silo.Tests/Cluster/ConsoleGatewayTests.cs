using OrleansNodes.TestServers;

namespace OrleansNodes.Silo.Tests.Cluster;

/// <summary>The console against gateways that are dead, frozen or gone mid-load.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ConsoleGatewayTests : IAsyncLifetime
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);
    private readonly RedisServer _redis = new();

    public Task InitializeAsync() => _redis.InitializeAsync();

    public Task DisposeAsync() => _redis.DisposeAsync();

    [RedisFact]
    public async Task Put_SomeListedGatewaysDeadOrFrozen_ConnectsThroughOneThatAnswers()
    {
        using var group = await SiloGroup.StartAsync(3, ["--storage", "redis", "--redis", _redis.ConnectionString]);
        await group.WaitForSpreadAsync(Generous);
        var nobody = $"127.0.0.1:{FreePorts.Take(1)[0]}";
        var frozen = group.Silos[0];
        await frozen.PauseAsync();
        try
        {
            // Listed first, then the frozen one: a refused connection and one that never answers its handshake.
            string gateways = $"{nobody},{frozen.Gateway},{group.Silos[1].Gateway},{group.Silos[2].Gateway}";
            // An Orleans client can lose a request it queued on the frozen gateway's half-open
            // connection; the session retries through other lanes, and a generous timeout leaves
            // room for that on a loaded machine (a put takes 2-5 s here, occasionally 10, and once,
            // in a CI run of stop 23, more than 30: then at the latest membership declares the
            // frozen silo dead and its nodes and gateways come back elsewhere). The bound is on a
            // hang, not on how fast a put gets through.
            for (var i = 0; i < 3; i++)
            {
                var put = await ConsoleProcess.RunAsync(["kv", "put", "k", $"v{i}", "--gateway", gateways, "--timeout-ms", "75000", .. group.Ids], Generous);
                Assert.True(put.ExitCode == 0, $"put {i}: {put.Output}");
            }
            // The get goes through the same gateways, so it gets the same room (a CI run of stop 26
            // lost one to the default 10 s while the frozen gateway's connection hung).
            var get = await ConsoleProcess.RunAsync(["kv", "get", "k", "--gateway", gateways, "--timeout-ms", "75000", .. group.Ids], Generous);
            Assert.True(get.ExitCode == 0, get.Output);
            Assert.Equal("v2", get.Output.Trim());
        }
        finally
        {
            await frozen.ResumeAsync();
        }
    }

    [RedisFact]
    public async Task ConsoleCommands_SiloHostingTheClusterRegistryKilled_AnswerThroughTheOthers()
    {
        // The first silo creates the cluster, so the registry grain lives there; two more join.
        using var group = await SiloGroup.StartAsync(1, ["--storage", "redis", "--redis", _redis.ConnectionString]);
        await group.WaitForAllAnsweringAsync(Generous);
        await group.AddAsync(2);
        await group.WaitForSpreadAsync(Generous);
        var registrySilo = group.Silos[0];

        registrySilo.Kill();

        // Until membership declares that silo dead, the registry answers nobody; nothing here asks it.
        string[][] commands = [["cluster", "list"], ["cluster", "status", "kv"], ["kv", "put", "a", "b"], ["kv", "get", "a"]];
        foreach (var command in commands)
        {
            var run = await ConsoleProcess.RunAsync([.. command, "--gateway", group.Gateways, .. group.Ids], Generous);
            Assert.True(run.ExitCode == 0, $"{string.Join(' ', command)}: exit {run.ExitCode}\n{run.Output}");
        }
    }

    [Fact]
    public async Task Put_NoListedGatewayAnswers_ExitsThreeWithinItsTimeout()
    {
        var ports = FreePorts.Take(2);
        var run = await ConsoleProcess.RunAsync(["kv", "put", "k", "v", "--gateway", $"127.0.0.1:{ports[0]},127.0.0.1:{ports[1]}", "--timeout-ms", "3000"], Generous);

        Assert.Equal(3, run.ExitCode);
        Assert.StartsWith("error: cannot reach a silo at", run.Output.Trim());
    }

    [Fact]
    public async Task KvLoad_ClusterStopsAnsweringMidLoad_EndsSoonAfterItsDurationWithUnknownOutcomes()
    {
        // One embedded silo: killing it leaves the load nothing to talk to, for the load's whole
        // rest, its final reads included. Each unanswered request takes its timeout; the load must
        // still end, and not after every key's every final-read attempt has waited it out.
        using var silo = new SiloProcess([]);
        await silo.StartAsync();
        using var load = await StartLoadAsync(silo.Gateway);
        silo.Kill();

        // Load 4 s, an operation in flight 2 s, final reads at most twice the timeout: well inside a minute.
        var exit = await load.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exit == 0, load.Tail());
        Assert.Matches("\"unknown\":[1-9]", load.Output());
    }

    // The short timeout the test needs after the kill also bounds the console's first handshake,
    // which a loaded machine can outlast: a load that never reached the (running) silo starts
    // again, at most twice; any other early exit fails the test.
    private static async Task<ChildProcess> StartLoadAsync(string gateway)
    {
        for (var attempt = 1; ; attempt++)
        {
            var load = ConsoleProcess.Start(
            [
                "kv", "load", "--gateway", gateway, "--clients", "4", "--keys", "16", "--duration", "4", "--timeout-ms", "2000",
                "--final-reads", "--json",
            ]);
            try
            {
                await load.WaitForOutputAsync("kv load: first operation acknowledged", Generous);
                return load;
            }
            catch (InvalidOperationException) when (attempt < 3 && load.Output().Contains("cannot reach a silo", StringComparison.Ordinal))
            {
                load.Dispose();
            }
        }
    }
}
