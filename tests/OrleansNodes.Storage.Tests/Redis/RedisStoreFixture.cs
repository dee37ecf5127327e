using OrleansNodes.Storage.Redis;
using OrleansNodes.TestServers;
using StackExchange.Redis;

namespace OrleansNodes.Storage.Tests.Redis;

/// <summary>
/// A Redis server (the shared one when <c>ORLEANSNODES_TEST_REDIS</c> is set) and one multiplexer
/// configured as the silo configures its own, with a key prefix unique to this fixture, so test
/// classes sharing a server never see each other's nodes. Started on first use, so that a class
/// whose tests are all skipped (no redis-server) starts nothing.
/// </summary>
public sealed class RedisStoreFixture : IAsyncLifetime
{
    private readonly RedisServer _server;
    private readonly SemaphoreSlim _starting = new(1, 1);
    private ConnectionMultiplexer? _multiplexer;

    /// <summary>A fixture on the shared server, or on an owned one when none is shared.</summary>
    public RedisStoreFixture() : this(new RedisServer())
    {
    }

    private RedisStoreFixture(RedisServer server) => _server = server;

    /// <summary>A fixture on a private server that tests may kill and restart.</summary>
    public static RedisStoreFixture Owned() => new(RedisServer.Owned());

    /// <summary>The prefix (a service id) of every store this fixture makes.</summary>
    public string Prefix { get; } = $"t{Guid.NewGuid():N}"[..13];

    /// <summary>The server, for tests that kill it.</summary>
    public RedisServer Server => _server;

    /// <summary>The connected multiplexer.</summary>
    public async Task<IConnectionMultiplexer> MultiplexerAsync()
    {
        await _starting.WaitAsync();
        try
        {
            if (_multiplexer is null)
            {
                await _server.InitializeAsync();
                var configuration = ConfigurationOptions.Parse(_server.ConnectionString);
                configuration.AbortOnConnectFail = true;
                configuration.BacklogPolicy = BacklogPolicy.FailFast;
                configuration.ClientName = "orleansnodes-storage-tests";
                _multiplexer = await ConnectionMultiplexer.ConnectAsync(configuration);
            }
            return _multiplexer;
        }
        finally
        {
            _starting.Release();
        }
    }

    /// <summary>The database the stores write to, for tests that look at or damage keys.</summary>
    public async Task<IDatabase> DatabaseAsync() => (await MultiplexerAsync()).GetDatabase();

    /// <summary>The same, once connected (after <see cref="StoreAsync"/>), for synchronous hooks.</summary>
    public IDatabase Database => Connected.GetDatabase();

    /// <summary>How a store gets the multiplexer, as the silo hands over its shared one.</summary>
    public Func<Task<IConnectionMultiplexer>> Connect => MultiplexerAsync;

    /// <summary>A store under <see cref="Prefix"/> with the default settings, its server up.</summary>
    public async Task<RedisNodeStore> StoreAsync()
    {
        await MultiplexerAsync();
        return new RedisNodeStore(Connect, Prefix);
    }

    /// <summary>The keys of node <paramref name="nodeKey"/> under <see cref="Prefix"/>.</summary>
    internal RedisNodeKeys Keys(string nodeKey) => RedisNodeKeys.For(Prefix, nodeKey);

    /// <summary>
    /// The staged snapshot lists of <paramref name="nodeKey"/> that exist now. Synchronous, so a
    /// write-point hook (an <see cref="Action{T}"/>) can call it; the server must have started.
    /// </summary>
    public List<RedisKey> StagedKeys(string nodeKey) => [.. Connected.GetServers().Single().Keys(pattern: Keys(nodeKey).StagedPrefix + "*")];

    private ConnectionMultiplexer Connected => _multiplexer ?? throw new InvalidOperationException("the fixture has not connected yet");

    /// <inheritdoc/>
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_multiplexer is not null) await _multiplexer.DisposeAsync();
        await _server.DisposeAsync();
        _starting.Dispose();
    }
}
