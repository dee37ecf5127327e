using OrleansNodes.TestServers;

namespace OrleansNodes.Silo.Tests.Profiles;

/// <summary>One silo process on the redis profile against a real redis-server.</summary>
public sealed class RedisProfileTests : IAsyncLifetime
{
    private readonly RedisServer _redis = new();

    public Task InitializeAsync() => _redis.InitializeAsync();

    public Task DisposeAsync() => _redis.DisposeAsync();

    [RedisFact]
    public async Task Put_SiloKilledAndRestarted_ValueReadBackFromRedis()
    {
        using var silo = new SiloProcess(["--storage", "redis", "--redis", _redis.ConnectionString, "--service-id", UniqueId()]);
        await silo.StartAsync();

        var put = await ConsoleProcess.RunAsync(["kv", "put", "colour", "blue", "--gateway", silo.Gateway]);
        Assert.True(put.ExitCode == 0, put.Output);

        silo.Kill();
        await silo.StartAsync();

        var get = await ConsoleProcess.RunAsync(["kv", "get", "colour", "--gateway", silo.Gateway]);
        Assert.True(get.ExitCode == 0, get.Output);
        Assert.Equal("blue", get.Output.Trim());
    }

    [RedisFact]
    public async Task Put_Silo_WritesTheNodeStoreKeysAndNoWholeStateRecords()
    {
        var service = UniqueId();
        using var silo = new SiloProcess(["--storage", "redis", "--redis", _redis.ConnectionString, "--service-id", service]);
        await silo.StartAsync();

        var put = await ConsoleProcess.RunAsync(["kv", "put", "colour", "blue", "--gateway", silo.Gateway]);
        Assert.True(put.ExitCode == 0, put.Output);

        // docs/operators.md, "Redis keys": a meta hash and a log per node, nothing in 0.1's layout.
        Assert.Equal(":1", await _redis.CommandAsync($"EXISTS {service}/nodes/{{kv/0}}/meta"));
        Assert.Equal("+zset", await _redis.CommandAsync($"TYPE {service}/nodes/{{kv/0}}/log"));
        Assert.Equal(":0", await _redis.CommandAsync($"EXISTS {service}/state/node/kv/0/node"));
    }

    [RedisFact]
    public async Task Start_ServiceIdHoldingVersion01NodeRecords_ExitsTwoSayingWhatToDo()
    {
        // OrleansNodes 0.1 kept each node as an Orleans grain-state hash; this version would read
        // those nodes as never started, so the silo must refuse the service id.
        var service = UniqueId();
        Assert.Equal(":2", await _redis.CommandAsync($"HSET {service}/state/node/kv/0/node etag 7 data x"));

        var result = await ProfileErrorTests.RunSiloAsync(["--storage", "redis", "--redis", _redis.ConnectionString, "--service-id", service]);

        ProfileErrorTests.AssertOneErrorLine(result, exitCode: 2, $"holds 1 node record of the previous storage format");
        Assert.Contains("another --service-id", result.Output);
        Assert.Equal(":1", await _redis.CommandAsync($"EXISTS {service}/state/node/kv/0/node"));
    }

    private static string UniqueId() => $"t{Guid.NewGuid():N}"[..12];
}
