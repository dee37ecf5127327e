using System.Net;
using Orleans.Configuration;
using OrleansNodes.Hosting;

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

    /// <summary>
    /// Why the profile's settings cannot work (a malformed connection string, a service id that
    /// cannot name a blob container), or null. Checked before <see cref="Configure"/>, which
    /// assumes they can.
    /// </summary>
    public static StorageProblem? SettingsProblem(HostSettings settings) => settings.Storage switch
    {
        Redis => RedisProfile.SettingsProblem(settings.Redis.ConnectionString),
        Azure => AzureProfile.SettingsProblem(settings),
        _ => null,
    };

    /// <summary>
    /// Configures clustering, endpoints, node storage and reminders for <paramref name="settings"/>'
    /// profile, and the <see cref="IStorageProbe"/> the silo runs before Orleans starts.
    /// </summary>
    public static void Configure(ISiloBuilder silo, HostSettings settings)
    {
        switch (settings.Storage)
        {
            case Embedded:
                var databasePath = Path.Combine(Path.GetFullPath(settings.DataPath), "orleansnodes.db");
                silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort);
                silo.AddSqliteNodeStorage(storage => storage.DatabasePath = databasePath);
                silo.Services.AddSingleton<IStorageProbe>(new SqliteStorageProbe(databasePath));
                break;
            case Redis:
                ConfigureEndpoints(silo, settings);
                RedisProfile.Configure(silo, settings.Redis, settings.ServiceId);
                break;
            case Azure:
                ConfigureEndpoints(silo, settings);
                AzureProfile.Configure(silo, settings);
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
}
