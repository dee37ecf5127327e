using Orleans.GrainDirectory;
using OrleansNodes.Hosting.Placement;
using StackExchange.Redis;

namespace OrleansNodes.Storage.Redis;

/// <summary>
/// A grain directory on Redis, for node grains (<c>SiloBuilderExtensions.UseNodeDirectory</c>):
/// where each node's one activation runs, in a store that does not die with a silo. Orleans'
/// default directory partitions entries over the silos, so until a killed silo is voted dead (tens
/// of seconds with Orleans' defaults), the nodes whose entries it held can be neither found nor
/// activated, even those running on live silos; that stalls failover for as long.
/// </summary>
/// <remarks>
/// <para>One string per grain, <c>P/directory/C/&lt;grain id&gt;</c> (P the service id, C the
/// cluster id, so neither two services nor two clusters of one service on one Redis share
/// entries), holding <c>&lt;activation id&gt; &lt;silo&gt; &lt;membership version&gt;</c>. Orleans'
/// own Redis directory keys entries by cluster id alone, which let silos of different services
/// sharing a cluster id find each other's activations.</para>
/// <para>Semantics are Orleans' <see cref="IGrainDirectory"/> contract: registering succeeds when
/// there is no entry, or the entry is the activation the caller replaces; otherwise the current
/// entry is returned and the caller's activation is the duplicate that stands down. Entries that
/// name dead silos are removed lazily: Orleans' locator unregisters such an entry when a lookup
/// finds it, so <see cref="UnregisterSilos"/> needs to do nothing.</para>
/// </remarks>
public sealed class RedisNodeDirectory(Func<Task<IConnectionMultiplexer>> connect, string serviceId, string clusterId) : IGrainDirectory
{
    // KEYS[1] the entry; ARGV[1] the new value, ARGV[2] the activation id it replaces ('' for none).
    // Returns nil when registered, else the current entry.
    private const string RegisterScript = """
        local current = redis.call('GET', KEYS[1])
        if current then
            local space = string.find(current, ' ', 1, true)
            if string.sub(current, 1, space - 1) ~= ARGV[2] then return current end
        end
        redis.call('SET', KEYS[1], ARGV[1])
        return nil
        """;

    // KEYS[1] the entry; ARGV[1] the activation id whose entry is removed.
    private const string UnregisterScript = """
        local current = redis.call('GET', KEYS[1])
        if current and string.sub(current, 1, #ARGV[1] + 1) == ARGV[1] .. ' ' then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    /// <summary>The Redis key of <paramref name="grain"/>'s entry.</summary>
    public RedisKey KeyOf(GrainId grain) => $"{serviceId}/directory/{clusterId}/{grain}";

    /// <inheritdoc/>
    public async Task<GrainAddress?> Lookup(GrainId grainId)
    {
        var value = await RunAsync(database => database.StringGetAsync(KeyOf(grainId)), grainId, "look up");
        return value.IsNull ? null : NodeDirectoryEntry.Parse(grainId, value!);
    }

    /// <inheritdoc/>
    public Task<GrainAddress?> Register(GrainAddress address) => Register(address, null);

    /// <inheritdoc/>
    public async Task<GrainAddress?> Register(GrainAddress address, GrainAddress? previousAddress)
    {
        var current = await RunAsync(
            database => database.ScriptEvaluateAsync(RegisterScript, [KeyOf(address.GrainId)], [NodeDirectoryEntry.Format(address), previousAddress?.ActivationId.ToParsableString() ?? ""]),
            address.GrainId,
            "register");
        return current.IsNull ? address : NodeDirectoryEntry.Parse(address.GrainId, (string)current!);
    }

    /// <inheritdoc/>
    public async Task Unregister(GrainAddress address) =>
        await RunAsync(
            database => database.ScriptEvaluateAsync(UnregisterScript, [KeyOf(address.GrainId)], [address.ActivationId.ToParsableString()]),
            address.GrainId,
            "unregister");

    /// <inheritdoc/>
    public Task UnregisterSilos(List<SiloAddress> siloAddresses) => Task.CompletedTask;

    // Redis failures reach Orleans as OrleansException, which its locator and callers treat as a
    // directory that could not answer (the caller's message fails; it is retried or reported).
    private async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> operation, GrainId grain, string what)
    {
        try
        {
            return await operation((await connect()).GetDatabase());
        }
        catch (RedisException exception)
        {
            throw new OrleansException($"the node directory could not {what} {grain}: {exception.Message}");
        }
    }
}
