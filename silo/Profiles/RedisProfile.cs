using System.Net;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using OrleansNodes.Hosting;
using OrleansNodes.Storage.Redis;
using StackExchange.Redis;

namespace OrleansNodes.Silo;

/// <summary>
/// The redis profile: membership, node storage, the cluster registry and reminders on one Redis
/// server, under keys that start with the service id (<c>&lt;ServiceId&gt;/members/&lt;ClusterId&gt;</c>,
/// <c>&lt;ServiceId&gt;/nodes/…</c> (<see cref="RedisNodeStore"/>), <c>&lt;ServiceId&gt;/state/…</c>,
/// <c>&lt;ServiceId&gt;/reminders</c>, and the node grains' directory, <c>&lt;ServiceId&gt;/directory/&lt;ClusterId&gt;/…</c>
/// (<see cref="RedisNodeDirectory"/>)), through one multiplexer.
/// </summary>
internal static class RedisProfile
{
    /// <summary>The node grains' directory (<see cref="RedisNodeDirectory"/>).</summary>
    public const string NodeDirectoryName = "orleansnodes-nodes";

    /// <summary>Why <paramref name="connectionString"/> is not a usable StackExchange.Redis configuration, or null.</summary>
    public static StorageProblem? SettingsProblem(string connectionString)
    {
        try
        {
            return ConfigurationOptions.Parse(connectionString).EndPoints.Count == 0
                ? StorageProblem.BadSettings($"Redis:ConnectionString '{Redact(connectionString)}' names no server (expected HOST:PORT[,option=value...])")
                : null;
        }
        catch (ArgumentException exception)
        {
            return StorageProblem.BadSettings($"Redis:ConnectionString is malformed: {exception.Message}");
        }
    }

    public static void Configure(ISiloBuilder silo, RedisSettings redis, string serviceId)
    {
        var connection = new RedisConnection(Options(redis.ConnectionString), serviceId);
        silo.Services.AddSingleton<IStorageProbe>(connection);
        silo.AddNodeStore(_ => new RedisNodeStore(async () => (await connection.ForProviderAsync()).Multiplexer, serviceId));
        silo.UseRedisClustering(options =>
        {
            options.ConfigurationOptions = connection.Configuration;
            options.CreateMultiplexer = _ => connection.ForProviderAsync();
        });
        // The cluster registry's grain state, written with the Orleans serializer (the one
        // SerializationCheck vets), not the provider's JSON default.
        silo.AddRedisGrainStorage(NodeHostOptions.StorageName, builder => builder.Configure<Serializer>((options, serializer) =>
        {
            options.ConfigurationOptions = connection.Configuration;
            options.CreateMultiplexer = _ => connection.ForProviderAsync();
            options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }));
        silo.UseRedisReminderService(options =>
        {
            options.ConfigurationOptions = connection.Configuration;
            options.CreateMultiplexer = _ => connection.ForProviderAsync();
        });
        // Node grains' directory entries in Redis, not in Orleans' default directory, whose
        // entries are partitioned over the silos: until a dead silo is voted dead, nodes whose
        // entries it owned could be neither found nor activated, even on live silos.
        silo.AddGrainDirectory(NodeDirectoryName, (services, _) => new RedisNodeDirectory(
            async () => (await connection.ForProviderAsync()).Multiplexer, serviceId, services.GetRequiredService<IOptions<ClusterOptions>>().Value.ClusterId));
        silo.UseNodeDirectory(NodeDirectoryName);
    }

    private static ConfigurationOptions Options(string connectionString)
    {
        var configuration = ConfigurationOptions.Parse(connectionString);
        // Startup must end in an answer: a server that refuses the first connection fails the
        // probe at once instead of leaving a multiplexer retrying in the background. Once
        // connected, the multiplexer reconnects by itself whatever this flag says.
        configuration.AbortOnConnectFail = true;
        // While the server is down, commands fail at once instead of queueing for a later
        // reconnect: a node's state write either reaches Redis now or fails now (the node then
        // answers "unknown outcome" and restarts from what Redis holds), and requests during an
        // outage end quickly instead of each waiting out the command timeout.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ClientName ??= "orleansnodes-silo";
        return configuration;
    }

    /// <summary>The connection string without its password, for messages.</summary>
    public static string Redact(string connectionString) =>
        string.Join(',', connectionString.Split(',').Select(part => part.TrimStart().StartsWith("password=", StringComparison.OrdinalIgnoreCase) ? "password=***" : part));

    /// <summary>The endpoints as an operator wrote them, e.g. <c>127.0.0.1:6379</c>.</summary>
    public static string Describe(EndPointCollection endpoints) => string.Join(',', endpoints.Select(endpoint => endpoint switch
    {
        DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        IPEndPoint ip => ip.ToString(),
        _ => endpoint.ToString(),
    }));
}
