using System.Text;
using OrleansNodes.Hosting.Storage;
using OrleansNodes.TestServers;

namespace OrleansNodes.Storage.Tests.Redis;

/// <summary>
/// The store on a private redis-server that is killed: a write during the outage fails (the node
/// grain treats that as a crash) instead of being swallowed or queued, and once the server is
/// back from its append-only file the same store writes again from what it holds.
/// </summary>
public sealed class RedisNodeStoreOutageTests : IAsyncLifetime
{
    private static readonly TimeSpan WaitBound = TimeSpan.FromSeconds(30);
    private readonly RedisStoreFixture _redis = RedisStoreFixture.Owned();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _redis.DisposeAsync();

    [RedisFact]
    public async Task Write_ServerKilled_FailsAndTheNextWriteAfterRestartWorks()
    {
        var store = await _redis.StoreAsync();
        var key = $"outage-{Guid.NewGuid():N}/0";
        await store.WriteAsync(key, new NodeWrite(0, Bytes("definition"), Bytes("h0"), null, null, null, []));
        var writes = store.Writes;

        _redis.Server.Kill();
        var failed = await Assert.ThrowsAnyAsync<Exception>(() => store.WriteAsync(key, Hard(1, "lost")));

        Assert.IsNotType<StaleWriteException>(failed);
        Assert.Equal(writes, store.Writes);
        await _redis.Server.RestartAsync();
        var multiplexer = await _redis.MultiplexerAsync();
        var deadline = DateTime.UtcNow + WaitBound;
        while (!multiplexer.IsConnected)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"the multiplexer did not reconnect within {WaitBound.TotalSeconds:0} s");
            await Task.Delay(50);
        }
        var read = await store.ReadAsync(key);
        Assert.Equal(1, read!.Version);
        await store.WriteAsync(key, Hard(1, "kept"));
        Assert.Equal("kept", Encoding.UTF8.GetString((await store.ReadAsync(key))!.Hard));
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static NodeWrite Hard(long expected, string hard) => new(expected, null, Bytes(hard), null, null, null, []);
}
