using System.Net;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using OrleansNodes.Hosting;
using StackExchange.Redis;

namespace OrleansNodes.Silo;

/// <summary>
/// The storage profiles: where a silo finds its cluster's members, keeps node state and keeps
/// reminders. <c>embedded</c> is one silo on one machine; <c>redis</c> and <c>azure</c> let
/// any number of silos form one cluster.
/// </summary>
public static class StorageProfiles
{
    /// <summary>One silo, localhost clustering, node state and reminders in a local SQLite file.</summary>
    public const string Embedded = "embedded";

    /// <summary>Clustering, node state and reminders on one Redis server.</summary>
    public const string Redis = "redis";

    /// <summary>Clustering and reminders on Azure Table storage, node state in Azure Blob storage.</summary>
    public const string Azure = "azure";

    /// <summary>Every profile name.</summary>
    public static readonly IReadOnlyList<string> Names = [Embedded, Redis, Azure];

    /// <summary>Configures clustering, endpoints, node storage and reminders for <paramref name="settings"/>' profile.</summary>
    public static void Configure(ISiloBuilder silo, HostSettings settings)
    {
        switch (settings.Storage)
        {
            case Embedded:
                silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort);
                silo.AddSqliteNodeStorage(storage => storage.DatabasePath = Path.Combine(Path.GetFullPath(settings.DataPath), "orleansnodes.db"));
                break;
            case Redis:
                ConfigureEndpoints(silo, settings);
                ConfigureRedis(silo, settings.Redis);
                break;
            case Azure:
                ConfigureEndpoints(silo, settings);
                ConfigureAzure(silo, settings.AzureStorage);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(settings), settings.Storage, "unknown storage profile");
        }
        silo.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = settings.ClusterId;
            cluster.ServiceId = settings.ServiceId;
        });
        if (settings.Kubernetes) silo.UseKubernetesHosting();
        settings.Membership.ApplyTo(silo);
    }

    // On Kubernetes the pod's IP is advertised (UseKubernetesHosting fills in what is left unset);
    // elsewhere the configured address, listening on every interface unless it is loopback.
    private static void ConfigureEndpoints(ISiloBuilder silo, HostSettings settings)
    {
        if (settings.Kubernetes)
        {
            silo.Configure<EndpointOptions>(endpoints =>
            {
                endpoints.SiloPort = settings.SiloPort;
                endpoints.GatewayPort = settings.GatewayPort;
            });
            return;
        }
        var advertised = settings.AdvertisedIp() ?? IPAddress.Loopback;
        silo.ConfigureEndpoints(advertised, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(advertised));
    }

    // One multiplexer for membership, state and reminders. Node state is written with the
    // Orleans serializer (the one SerializationCheck vets), not the JSON default.
    private static void ConfigureRedis(ISiloBuilder silo, RedisSettings redis)
    {
        var configuration = ConfigurationOptions.Parse(redis.ConnectionString);
        var shared = new Lazy<Task<IConnectionMultiplexer>>(async () => await ConnectionMultiplexer.ConnectAsync(configuration));
        async Task<(IConnectionMultiplexer, bool)> Connect() => (await shared.Value, true);

        silo.UseRedisClustering(options =>
        {
            options.ConfigurationOptions = configuration;
            options.CreateMultiplexer = _ => Connect();
        });
        silo.AddRedisGrainStorage(NodeHostOptions.StorageName, builder => builder.Configure<Serializer>((options, serializer) =>
        {
            options.ConfigurationOptions = configuration;
            options.CreateMultiplexer = _ => Connect();
            options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }));
        silo.UseRedisReminderService(options =>
        {
            options.ConfigurationOptions = configuration;
            options.CreateMultiplexer = _ => Connect();
        });
    }

    // A connection string (the Azurite emulator's included) wins; otherwise the account is reached
    // with a managed identity, so no key needs to exist anywhere.
    private static void ConfigureAzure(ISiloBuilder silo, AzureStorageSettings azure)
    {
        Func<TableServiceClient> tables;
        Func<BlobServiceClient> blobs;
        if (azure.ConnectionString.Length > 0)
        {
            tables = () => new TableServiceClient(azure.ConnectionString);
            blobs = () => new BlobServiceClient(azure.ConnectionString);
        }
        else
        {
            TokenCredential credential = azure.ManagedIdentityClientId.Length > 0
                ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(azure.ManagedIdentityClientId))
                : new DefaultAzureCredential();
            tables = () => new TableServiceClient(new Uri($"https://{azure.AccountName}.table.core.windows.net"), credential);
            blobs = () => new BlobServiceClient(new Uri($"https://{azure.AccountName}.blob.core.windows.net"), credential);
        }

        silo.UseAzureStorageClustering(options => options.TableServiceClient = tables());
        silo.AddAzureBlobGrainStorage(NodeHostOptions.StorageName, builder => builder.Configure<Serializer>((options, serializer) =>
        {
            options.BlobServiceClient = blobs();
            options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }));
        silo.UseAzureTableReminderService(options => options.TableServiceClient = tables());
    }
}
