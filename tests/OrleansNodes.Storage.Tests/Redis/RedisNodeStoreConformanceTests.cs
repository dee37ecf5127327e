using OrleansNodes.Hosting.Storage;
using OrleansNodes.Storage.Tests.Conformance;
using OrleansNodes.TestServers;

namespace OrleansNodes.Storage.Tests.Redis;

/// <summary>The conformance suite against <see cref="OrleansNodes.Storage.Redis.RedisNodeStore"/> on a real redis-server.</summary>
public sealed class RedisNodeStoreConformanceTests(RedisStoreFixture redis) : NodeStoreConformance, IClassFixture<RedisStoreFixture>
{
    [RedisTheory, MemberData(nameof(Cases))]
    public Task Conformance(string name) => RunAsync(name);

    protected override async Task<NodeStore> StoreAsync() => await redis.StoreAsync();
}
