using OrleansNodes.TestServers;

namespace OrleansNodes.Silo.Tests.Profiles;

/// <summary>
/// The redis profile when Redis itself dies: a private <c>redis-server</c> (AOF, fsync on every
/// write) killed with SIGKILL under a running silo. A reply is sent only after the node's state
/// write returned (persist-before-send), so every acknowledged write must come back from the
/// append-only file, and the silo must serve again once Redis does.
/// </summary>
public sealed class RedisCrashTests : IAsyncLifetime
{
    // Right after Redis returns, nodes whose writes failed restart from what Redis holds and the
    // multiplexer reconnects: a request may fail a few times before one lands.
    private const int AttemptsAfterRestart = 8;
    private readonly RedisServer _redis = RedisServer.Owned();
    private SiloProcess? _silo;

    private SiloProcess Silo => _silo!;

    public async Task InitializeAsync()
    {
        await _redis.InitializeAsync();
        _silo = new SiloProcess(["--storage", "redis", "--redis", _redis.ConnectionString]);
        await _silo.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _silo?.Dispose();
        await _redis.DisposeAsync();
    }

    [RedisFact]
    public async Task AcknowledgedPuts_RedisKilledAndRestarted_EveryValueReadBack()
    {
        string[] keys = ["alpha", "beta", "gamma"];
        foreach (var key in keys) await PutAcknowledgedAsync(key, $"{key}-value");

        await _redis.CrashAndRestartAsync();

        foreach (var key in keys) Assert.Equal($"{key}-value", await GetEventuallyAsync(key));
        Assert.True(Silo.IsRunning, Silo.Process.Tail());
    }

    [RedisFact]
    public async Task RedisDownMidRun_RequestsFail_ServesAgainAfterRestartWithEarlierValues()
    {
        await PutAcknowledgedAsync("before", "kept");

        _redis.Kill();
        var duringOutage = await KvAsync("put", "during", "maybe");
        // Unknown outcome (5) when a node took the request and failed its write; unavailable (3)
        // when the request could not even be routed (the cluster registry could not read Redis).
        Assert.True(duringOutage.ExitCode is 3 or 5, $"a put while Redis is down must fail with exit 3 or 5, not {duringOutage.ExitCode}:\n{duringOutage.Output}");
        Assert.True(Silo.IsRunning, Silo.Process.Tail());

        await _redis.RestartAsync();
        Assert.Equal("kept", await GetEventuallyAsync("before"));
        await PutAcknowledgedAsync("after", "written");
        Assert.Equal("written", await GetEventuallyAsync("after"));
    }

    private async Task PutAcknowledgedAsync(string key, string value)
    {
        var put = await KvAsync("put", key, value);
        Assert.True(put.ExitCode == 0, $"kv put {key}: exit {put.ExitCode}\n{put.Output}");
    }

    private async Task<string> GetEventuallyAsync(string key)
    {
        for (var attempt = 1; ; attempt++)
        {
            var get = await KvAsync("get", key);
            if (get.ExitCode == 0) return get.Output.Trim();
            // Only "unknown outcome" (5) and "unavailable" (3) may be retried; "missing" (1)
            // would be a lost write.
            if (get.ExitCode is not (3 or 5) || attempt == AttemptsAfterRestart)
                Assert.Fail($"kv get {key}: exit {get.ExitCode} on attempt {attempt}\n{get.Output}\nsilo:\n{Silo.Process.Tail()}");
        }
    }

    private Task<ConsoleProcess.Result> KvAsync(params string[] arguments) =>
        ConsoleProcess.RunAsync(["kv", .. arguments, "--gateway", Silo.Gateway, "--timeout-ms", "4000"]);
}
