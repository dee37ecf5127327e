using OrleansNodes.Hosting.Storage;
using OrleansNodes.Storage.Redis;
using OrleansNodes.TestServers;
using StackExchange.Redis;

namespace OrleansNodes.Storage.Tests.Redis;

/// <summary>
/// <see cref="RedisNodeStore.DescribeLegacyStateAsync"/>: a database holding node grains' records
/// of Orleans' Redis grain storage (the previous format) is recognised, and nothing else is.
/// The records are written here in that provider's layout: a hash with <c>etag</c> and <c>data</c>
/// at <c>&lt;ServiceId&gt;/state/&lt;grain type&gt;/&lt;grain key&gt;/&lt;state name&gt;</c>.
/// </summary>
public sealed class RedisLegacyStateTests(RedisStoreFixture redis) : IClassFixture<RedisStoreFixture>
{
    [RedisFact]
    public async Task DescribeLegacyState_OldNodeRecords_CountsThem()
    {
        var database = await redis.DatabaseAsync();
        var serviceId = ServiceId("old");
        await OldRecordAsync(database, $"{serviceId}/state/node/kv/0/node");
        await OldRecordAsync(database, $"{serviceId}/state/node/kv/1/node");
        await OldRecordAsync(database, $"{serviceId}/state/clusterregistry/0/clusters");

        var description = await RedisNodeStore.DescribeLegacyStateAsync(database, serviceId);

        Assert.NotNull(description);
        Assert.StartsWith("2 node records of the previous storage format", description);
        Assert.Contains($"'{serviceId}/state/node/kv/", description);
    }

    [RedisFact]
    public async Task DescribeLegacyState_NewLayoutAndRegistryOnly_Null()
    {
        var database = await redis.DatabaseAsync();
        var serviceId = ServiceId("new");
        var store = new RedisNodeStore(redis.Connect, serviceId);
        await store.WriteAsync("kv/0", new NodeWrite(0, [1], [2], null, null, null, [new(1, [3])]));
        await OldRecordAsync(database, $"{serviceId}/state/clusterregistry/0/clusters");

        Assert.Null(await RedisNodeStore.DescribeLegacyStateAsync(database, serviceId));
    }

    [RedisFact]
    public async Task DescribeLegacyState_OtherServiceIds_NotCounted()
    {
        var database = await redis.DatabaseAsync();
        var serviceId = ServiceId("mine");
        await OldRecordAsync(database, $"{serviceId}-other/state/node/kv/0/node");
        await OldRecordAsync(database, $"x{serviceId}/state/node/kv/0/node");

        Assert.Null(await RedisNodeStore.DescribeLegacyStateAsync(database, serviceId));
    }

    [RedisFact]
    public async Task DescribeLegacyState_ServiceIdWithGlobCharacters_MatchedLiterally()
    {
        var database = await redis.DatabaseAsync();
        var serviceId = ServiceId("glob") + "*[a]?";
        await OldRecordAsync(database, $"{ServiceId("glob")}xa!/state/node/kv/0/node");
        Assert.Null(await RedisNodeStore.DescribeLegacyStateAsync(database, serviceId));

        await OldRecordAsync(database, $"{serviceId}/state/node/kv/0/node");
        Assert.StartsWith("1 node record of", await RedisNodeStore.DescribeLegacyStateAsync(database, serviceId));
    }

    private string ServiceId(string name) => $"{redis.Prefix}-{name}";

    private static Task OldRecordAsync(IDatabase database, string key) =>
        database.HashSetAsync(key, [new HashEntry("etag", Guid.NewGuid().ToString("N")), new HashEntry("data", new byte[] { 1, 2, 3 })]);
}
