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

    private static string UniqueId() => $"t{Guid.NewGuid():N}"[..12];
}
