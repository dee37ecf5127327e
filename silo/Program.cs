using Orleans.Dashboard;
using Orleans.Serialization;
using OrleansNodes.Hosting;
using OrleansNodes.Hosting.Protocols;
using OrleansNodes.Protocols.FailureDetector;
using OrleansNodes.Protocols.KeyValue;
using OrleansNodes.Protocols.Paxos;
using OrleansNodes.Silo;

// One silo. By default embedded: localhost clustering, node state and reminders in
// ./data/orleansnodes.db, the Orleans dashboard, GET /status and the protocol page (/protocol/)
// on http://localhost:8080. With --storage redis or azure, any number of silos form one cluster
// (silo/Profiles). Ctrl+C stops it cleanly (the host's default console lifetime): nodes finish
// their batch and deactivate.

var switches = new Dictionary<string, string>
{
    ["--data"] = $"{HostSettings.Section}:{nameof(HostSettings.DataPath)}",
    ["--url"] = $"{HostSettings.Section}:{nameof(HostSettings.Url)}",
    ["--silo-port"] = $"{HostSettings.Section}:{nameof(HostSettings.SiloPort)}",
    ["--gateway-port"] = $"{HostSettings.Section}:{nameof(HostSettings.GatewayPort)}",
    ["--tick-ms"] = $"{HostSettings.Section}:{nameof(HostSettings.TickMs)}",
    ["--stop-timeout-ms"] = $"{HostSettings.Section}:{nameof(HostSettings.StopTimeoutMs)}",
    ["--cluster"] = $"{HostSettings.Section}:{nameof(HostSettings.Cluster)}",
    ["--protocol"] = $"{HostSettings.Section}:{nameof(HostSettings.Protocol)}",
    ["--nodes"] = $"{HostSettings.Section}:{nameof(HostSettings.Nodes)}",
    ["--storage"] = $"{HostSettings.Section}:{nameof(HostSettings.Storage)}",
    ["--redis"] = $"{HostSettings.Section}:{nameof(HostSettings.Redis)}:{nameof(RedisSettings.ConnectionString)}",
    ["--cluster-id"] = $"{HostSettings.Section}:{nameof(HostSettings.ClusterId)}",
    ["--service-id"] = $"{HostSettings.Section}:{nameof(HostSettings.ServiceId)}",
    ["--address"] = $"{HostSettings.Section}:{nameof(HostSettings.AdvertisedAddress)}",
    ["--tls-certificate"] = $"{HostSettings.Section}:{nameof(HostSettings.Tls)}:{nameof(TlsSettings.CertificatePath)}",
    ["--tls-ca"] = $"{HostSettings.Section}:{nameof(HostSettings.Tls)}:{nameof(TlsSettings.CaCertificatePath)}",
};
if (args is ["--version"])
{
    var version = typeof(HostSettings).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
        .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "unknown";
    Console.WriteLine($"orleansnodes-silo {version}");
    return 0;
}
if (args is ["--help"] or ["-h"])
{
    Console.WriteLine("usage: orleansnodes-silo [--version] [" + string.Join("] [", switches.Keys.Select(k => k + " VALUE")) + "]");
    Console.WriteLine("settings, environment variables (ORLEANSNODES__TICKMS=20) and defaults: silo/README.md");
    return 0;
}
if (UnknownSwitch(args, switches) is { } unknown)
    return Fail($"unknown option '{unknown}'; known: {string.Join(", ", switches.Keys)} (see --help)");

// The content root is the application's folder, so appsettings.json is found from any working
// directory; the data folder, when relative, stays relative to the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddCommandLine(args, switches);

var options = new HostSettings();
try
{
    builder.Configuration.GetSection(HostSettings.Section).Bind(options);
}
catch (InvalidOperationException exception)
{
    return Fail(exception.InnerException?.Message ?? exception.Message);
}
if (options.Problems().FirstOrDefault() is { } problem) return Fail(problem);
if (StorageProfiles.SettingsProblem(options) is { } storageSettings) return Fail(storageSettings.Message, storageSettings.ExitCode);
builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));

builder.WebHost.UseUrls(options.Url);
// Orleans' watchdog times its first check of the silo's components from the machine's boot, so
// every start logged the machine's uptime as a stall ("has not completed for 02:19:26"). Its
// warnings in a silo's first 30 s are dropped; errors, and warnings after that, are kept.
var sinceStart = System.Diagnostics.Stopwatch.StartNew();
builder.Logging.AddFilter("Orleans.Runtime.Watchdog", level => level >= LogLevel.Error || (level >= LogLevel.Warning && sinceStart.Elapsed > TimeSpan.FromSeconds(30)));
// While the silo stops, requests still arriving from clients are refused (clients retry them
// elsewhere) and nodes messaging each other find no silo to address; Orleans logs each with a
// stack trace, dozens on a stop under load. These categories say nothing else while stopping, so
// then only critical lines pass.
var stopping = false;
foreach (var category in new[] { "Orleans.Messaging", "Orleans.Runtime.Messaging", "Polly" })
    builder.Logging.AddFilter(category, level => level >= (Volatile.Read(ref stopping) ? LogLevel.Critical : LogLevel.Warning));
builder.UseOrleans(silo =>
{
    StorageProfiles.Configure(silo, options);
    silo.AddOrleansNodes(node =>
    {
        node.TickPeriod = TimeSpan.FromMilliseconds(options.TickMs);
        node.PlacementPeriod = TimeSpan.FromMilliseconds(options.PlacementMs);
    });
    silo.AddProtocol(new KeyValueProtocol(), KeyValueSettings.Default);
    silo.AddProtocol(new SingleDecreePaxos(), PaxosSettings.Default);
    silo.AddProtocol(new HeartbeatFailureDetector(), FailureDetectorSettings.Default);
    silo.AddDashboard();
});
builder.Services.AddHostedService<DefaultCluster>();
builder.AddSiloTelemetry(options);
if (builder.AddSiloSecurity(options) is { } securityProblem) return Fail(securityProblem);

var app = builder.Build();
app.Lifetime.ApplicationStopping.Register(() =>
{
    Volatile.Write(ref stopping, true);
    StopBound.Start(TimeSpan.FromMilliseconds(options.StopTimeoutMs));
});

// Refuse to start with a default protocol Orleans cannot serialize: one line now beats a
// failed state write on every tick later.
var protocols = app.Services.GetRequiredService<ProtocolRegistry>();
if (options.Cluster.Length > 0)
{
    if (!protocols.TryGet(options.Protocol, out var chosen))
        return Fail($"unknown protocol '{options.Protocol}' (known: {string.Join(", ", protocols.Names)})");
    if (SerializationCheck.FindProblem(chosen, app.Services.GetRequiredService<Serializer>()) is { } serializationProblem)
        return Fail(serializationProblem);
}

// Reach Redis or Azure Storage before Orleans starts: an unreachable server is one line and
// exit code 3, not providers retrying and logging stack traces.
if (app.Services.GetService<IStorageProbe>() is { } probe && await probe.FindProblemAsync(CancellationToken.None) is { } unreachable)
    return Fail(unreachable.Message, unreachable.ExitCode);
if (ListenPorts.FindPortInUse(options) is { } portInUse) return Fail(portInUse);

app.UseSiloSecurity();
app.MapGet("/", () => Results.Redirect("/dashboard/"));
app.MapOrleansDashboard(routePrefix: "/dashboard");
app.MapStatus();
app.MapProtocolPage();
app.MapMetrics(options);

try
{
    await app.RunAsync();
    return 0;
}
catch (IOException exception)
{
    // Typically a port in use or an unwritable data folder.
    return Fail(exception.Message);
}

// Switches are "--name value" pairs; configuration keys ("--OrleansNodes:TickMs 20") pass through.
static string? UnknownSwitch(string[] args, Dictionary<string, string> switches)
{
    for (var i = 0; i < args.Length; i++)
    {
        var arg = args[i].Split('=', 2)[0];
        if (!arg.StartsWith('-')) continue;
        if (!switches.ContainsKey(arg) && !arg.Contains(':')) return args[i];
        if (!args[i].Contains('=')) i++; // skip the value
    }
    return null;
}

static int Fail(string message, int exitCode = 2)
{
    Console.Error.WriteLine($"error: {message}");
    return exitCode;
}
