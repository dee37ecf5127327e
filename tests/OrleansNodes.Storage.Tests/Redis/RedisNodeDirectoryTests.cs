using Orleans.GrainDirectory;
using Orleans.Runtime;
using OrleansNodes.Storage.Redis;
using OrleansNodes.Storage.Tests.Conformance;
using OrleansNodes.TestServers;

namespace OrleansNodes.Storage.Tests.Redis;

/// <summary>The node directory contract against <see cref="RedisNodeDirectory"/> on a real redis-server.</summary>
public sealed class RedisNodeDirectoryTests(RedisStoreFixture redis) : NodeDirectoryConformance, IClassFixture<RedisStoreFixture>
{
    [RedisTheory, MemberData(nameof(Cases))]
    public Task Contract(string name) => RunAsync(name);

    [RedisFact]
    public async Task Lookup_EntryDamaged_OrleansExceptionNamingTheGrain()
    {
        var directory = new RedisNodeDirectory(redis.MultiplexerAsync, NewService(), "c");
        await (await redis.DatabaseAsync()).StringSetAsync(directory.KeyOf(Node), "not an entry");

        var exception = await Assert.ThrowsAsync<OrleansException>(() => directory.Lookup(Node));

        Assert.Contains(Node.ToString(), exception.Message);
    }

    protected override IGrainDirectory Directory(string service, string cluster) => new RedisNodeDirectory(redis.MultiplexerAsync, redis.Prefix + service, cluster);
}
