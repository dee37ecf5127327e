using System.Net;
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
    // The console's timeout covers connecting too, which a loaded machine can make slow.
    private const int TimeoutMs = 10_000;
    // The silo's bound on its own stop. Without one, a silo whose Redis is gone stops only after
    // Orleans has retried two membership writes for a minute each.
    private const int StopBoundMs = 5_000;
    private readonly RedisServer _redis = RedisServer.Owned();
    private SiloProcess? _silo;

    private SiloProcess Silo => _silo!;

    public async Task InitializeAsync()
    {
        await _redis.InitializeAsync();
        _silo = new SiloProcess(["--storage", "redis", "--redis", _redis.ConnectionString, "--stop-timeout-ms", StopBoundMs.ToString()]);
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
    public async Task RedisDownMidRun_RequestsEndUnknownOutcome_ServesAgainAfterRestartWithEarlierValues()
    {
        await PutAcknowledgedAsync("before", "kept");

        _redis.Kill();
        var duringOutage = await KvAsync(TimeoutMs, "put", "during", "maybe");
        Assert.True(duringOutage.ExitCode == 5, $"a put while Redis is down must end 'unknown outcome' (exit 5), not exit {duringOutage.ExitCode}:\n{duringOutage.Output}");
        Assert.True(Silo.IsRunning, Silo.Process.Tail());
        // Nothing can be served without storage: readiness says so (and takes the silo out of a Service).
        await ReadinessBecomesAsync(HttpStatusCode.ServiceUnavailable);

        await _redis.RestartAsync();
        await ReadinessBecomesAsync(HttpStatusCode.OK);
        Assert.Equal("kept", await GetEventuallyAsync("before"));
        await RetryAsync("put", "after", "written");
        Assert.Equal("written", await GetEventuallyAsync("after"));
    }

    [RedisFact]
    public async Task Stop_RedisGone_ExitsAtItsBoundWithOneLine_AcknowledgedWritesKept()
    {
        await PutAcknowledgedAsync("before", "kept");
        _redis.Kill();

        // A generous bound on a hang, under the two minutes an unbounded stop takes.
        var exitCode = await Silo.Process.StopAsync(TimeSpan.FromSeconds(90));

        Assert.True(exitCode == 1, $"a stop cut short must exit 1, not {exitCode?.ToString() ?? "hang"}:\n{Silo.Process.Tail()}");
        var lastError = Silo.Process.Errors().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
        Assert.StartsWith($"error: the silo did not stop within {StopBoundMs / 1000} s", lastError);
        await _redis.RestartAsync();
        await Silo.StartAsync();
        Assert.Equal("kept", await GetEventuallyAsync("before"));
    }

    private async Task ReadinessBecomesAsync(HttpStatusCode expected)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        HttpStatusCode? last = null;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await http.GetAsync(new Uri(Silo.Url, "healthz/ready"));
            if ((last = response.StatusCode) == expected) return;
            await Task.Delay(200);
        }
        Assert.Fail($"/healthz/ready stayed {last}, not {expected}\n{Silo.Process.Tail()}");
    }

    private async Task PutAcknowledgedAsync(string key, string value)
    {
        var put = await KvAsync(TimeoutMs, "put", key, value);
        Assert.True(put.ExitCode == 0, $"kv put {key}: exit {put.ExitCode}\n{put.Output}");
    }

    private async Task<string> GetEventuallyAsync(string key) => (await RetryAsync("get", key)).Output.Trim();

    /// <summary>A request repeated while it fails with "unknown outcome" or "unavailable" (put and get are safe to repeat).</summary>
    private async Task<ConsoleProcess.Result> RetryAsync(params string[] request)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await KvAsync(TimeoutMs, request);
            if (result.ExitCode == 0) return result;
            // Only "unknown outcome" (5) and "unavailable" (3) may be retried; a missing key (1)
            // would be a lost write.
            if (result.ExitCode is not (3 or 5) || attempt == AttemptsAfterRestart)
                Assert.Fail($"kv {string.Join(' ', request)}: exit {result.ExitCode} on attempt {attempt}\n{result.Output}\nsilo:\n{Silo.Process.Tail()}");
        }
    }

    private Task<ConsoleProcess.Result> KvAsync(int timeoutMs, params string[] arguments) =>
        ConsoleProcess.RunAsync(["kv", .. arguments, "--gateway", Silo.Gateway, "--timeout-ms", timeoutMs.ToString()]);
}
