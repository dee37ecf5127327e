using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using OrleansNodes.Core;
using Orleans.Runtime.GrainDirectory;
using OrleansNodes.Hosting.Clients;
using OrleansNodes.Hosting.Clusters;
using OrleansNodes.Hosting.Nodes;
using OrleansNodes.Hosting.Placement;
using OrleansNodes.Hosting.Protocols;
using OrleansNodes.Hosting.Storage;

namespace OrleansNodes.Hosting;

/// <summary>Registers OrleansNodes with a silo: the node host, protocols, and the embedded SQLite store.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>
    /// Adds the node host: the protocol registry, the grain network and <see cref="NodeHostOptions"/>.
    /// Node storage must be added too: a <see cref="NodeStore"/> (<see cref="AddNodeStore"/>) for the
    /// nodes, and grain storage named <see cref="NodeHostOptions.StorageName"/> for the cluster
    /// registry; <see cref="AddSqliteNodeStorage"/> adds both.
    /// </summary>
    public static ISiloBuilder AddOrleansNodes(this ISiloBuilder builder, Action<NodeHostOptions>? configure = null)
    {
        var options = builder.Services.AddOptions<NodeHostOptions>();
        if (configure is not null) options.Configure(configure);
        options.Validate(o =>
        {
            o.Validate();
            return true;
        });
        builder.Services.TryAddSingleton<ProtocolRegistry>();
        builder.Services.TryAddSingleton<NodeRoutes>();
        builder.Services.TryAddSingleton<GatewayMemory>();
        builder.Services.TryAddSingleton<INodeNetwork, GrainNodeNetwork>();
        builder.Services.TryAddSingleton<ClusterCatalog>();

        // Placement: nodes apart from their cluster's other nodes, on silos that answer.
        builder.Services.TryAddSingleton<NodeLocations>();
        builder.Services.TryAddSingleton<SiloReachability>();
        builder.Services.TryAddSingleton<SiloProbeClient>();
        builder.AddGrainService<SiloProbe>();
        builder.AddPlacementDirector<SpreadPlacement, SpreadPlacementDirector>();
        builder.Services.TryAddSingleton<SiloShutdown>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services => services.GetRequiredService<SiloShutdown>());
        builder.Services.AddSingleton<PlacementKeeper>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services => services.GetRequiredService<PlacementKeeper>());
        return builder;
    }

    /// <summary>Makes <paramref name="protocol"/> available to clusters under its <c>Name</c>.</summary>
    /// <param name="builder">The silo.</param>
    /// <param name="protocol">The pure protocol.</param>
    /// <param name="defaultSettings">Settings for clusters created without any.</param>
    /// <param name="redirect">For protocols whose redirect replies cannot implement <see cref="IRedirect"/>: reads the hint, so gateways follow it. Replies implementing <see cref="IRedirect"/> need none.</param>
    public static ISiloBuilder AddProtocol<TSettings, TState, TMessage, TRequest, TReply>(
        this ISiloBuilder builder,
        Protocol<TSettings, TState, TMessage, TRequest, TReply> protocol,
        TSettings defaultSettings,
        Func<TReply, RedirectHint?>? redirect = null)
        where TState : class
        where TSettings : notnull
        where TMessage : notnull
        where TRequest : notnull
        where TReply : notnull
    {
        builder.Services.AddSingleton(HostedProtocol.Create(protocol, defaultSettings, redirect));
        return builder;
    }

    /// <summary>
    /// Keeps the node grains' directory entries in the grain directory registered under
    /// <paramref name="directoryName"/> (e.g. <c>AddRedisGrainDirectory</c>) instead of Orleans'
    /// default, which partitions entries over the silos: until a dead silo is declared dead (tens
    /// of seconds with Orleans' defaults), every lookup or activation of a node whose entry that
    /// silo owned fails, even for nodes running on live silos. An external directory has no such
    /// partition. Other grains keep the default.
    /// </summary>
    public static ISiloBuilder UseNodeDirectory(this ISiloBuilder builder, string directoryName)
    {
        builder.Services.AddSingleton<IGrainDirectoryResolver>(services => new NodeDirectoryResolver(services, directoryName));
        return builder;
    }

    /// <summary>Makes <paramref name="create"/>'s store where nodes keep their hard state, log and snapshots.</summary>
    public static ISiloBuilder AddNodeStore(this ISiloBuilder builder, Func<IServiceProvider, NodeStore> create)
    {
        builder.Services.AddSingleton(create);
        return builder;
    }

    /// <summary>
    /// Keeps node storage (<see cref="SqliteNodeStore"/>), the cluster registry (grain storage
    /// <see cref="NodeHostOptions.StorageName"/>) and, unless <paramref name="reminders"/> is
    /// false, Orleans reminders in one local SQLite file.
    /// </summary>
    public static ISiloBuilder AddSqliteNodeStorage(this ISiloBuilder builder, Action<SqliteStorageOptions> configure, bool reminders = true)
    {
        var options = new SqliteStorageOptions();
        configure(options);
        var database = new SqliteDatabase(options);
        builder.AddNodeStore(_ => new SqliteNodeStore(database));
        builder.Services.AddGrainStorage(NodeHostOptions.StorageName, (services, name) =>
            new SqliteGrainStorage(name, database, services.GetRequiredService<Serializer>(), services.GetRequiredService<IActivatorProvider>()));
        if (reminders)
        {
            builder.AddReminders();
            builder.Services.AddSingleton<IReminderTable>(new SqliteReminderTable(database));
        }
        return builder;
    }
}
