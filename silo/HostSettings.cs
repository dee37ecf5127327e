using System.Net;

namespace OrleansNodes.Silo;

/// <summary>
/// The silo's configuration (section <c>OrleansNodes</c> of appsettings.json, environment
/// variables <c>ORLEANSNODES__*</c> such as <c>ORLEANSNODES__REDIS__CONNECTIONSTRING</c>, or
/// the command line, e.g. <c>--storage redis --redis localhost:6379</c>). Secrets (connection
/// strings, passwords) come only from configuration, environment or mounted secrets; none has
/// a default.
/// </summary>
public sealed class HostSettings
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OrleansNodes";

    /// <summary>
    /// Where clustering, node state and reminders live: <c>embedded</c> (one silo, a local SQLite
    /// file), <c>redis</c> or <c>azure</c> (Azure Table clustering and reminders, blob node state).
    /// </summary>
    public string Storage { get; set; } = StorageProfiles.Embedded;

    /// <summary>Folder of the SQLite file holding node state and reminders (embedded profile only).</summary>
    public string DataPath { get; set; } = "data";

    /// <summary>
    /// Where the dashboard, the status endpoint and the health checks listen. Loopback by
    /// default; any other address requires <see cref="Dashboard"/> credentials.
    /// </summary>
    public string Url { get; set; } = "http://localhost:8080";

    /// <summary>Orleans silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Orleans client gateway port (the console connects here).</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Orleans cluster id: silos with the same id and storage form one cluster.</summary>
    public string ClusterId { get; set; } = "orleansnodes";

    /// <summary>Orleans service id: names the stored state, so it must stay the same across deployments.</summary>
    public string ServiceId { get; set; } = "orleansnodes";

    /// <summary>
    /// The IP address other silos and clients reach this silo at (redis and azure profiles).
    /// Empty means loopback, for several silos on one machine; on Kubernetes the pod IP is used.
    /// A non-loopback address makes the silo listen on every interface.
    /// </summary>
    public string AdvertisedAddress { get; set; } = "";

    /// <summary>Running as a Kubernetes pod: endpoints, cluster id and pod cleanup come from the pod (Microsoft.Orleans.Hosting.Kubernetes).</summary>
    public bool Kubernetes { get; set; }

    /// <summary>Real time per protocol tick, in milliseconds.</summary>
    public int TickMs { get; set; } = 50;

    /// <summary>
    /// How often each silo pings the others and moves a node of an unevenly spread cluster, in
    /// milliseconds (also the bound on each ping). docs/operators.md "Where nodes run".
    /// </summary>
    public int PlacementMs { get; set; } = 1000;

    /// <summary>
    /// How long a stop (SIGTERM, Ctrl+C) may take, in milliseconds, before the process exits
    /// without finishing it: a silo whose storage is gone otherwise waits out Orleans' membership
    /// writes, two minutes. Below the grace periods of infra/ (compose 30 s, Kubernetes 60 s).
    /// </summary>
    public int StopTimeoutMs { get; set; } = 20_000;

    /// <summary>
    /// Whether the silo exports metrics (<c>GET /metrics</c> for Prometheus, OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set). docs/operators.md "Metrics".
    /// </summary>
    public bool Metrics { get; set; } = true;

    /// <summary>
    /// Whether Orleans' own meter (<c>Microsoft.Orleans</c>) is exported beside the protocol's:
    /// off by default, because Orleans then measures every message and call.
    /// </summary>
    public bool OrleansMetrics { get; set; }

    /// <summary>The cluster created on first start; empty to create none.</summary>
    public string Cluster { get; set; } = "kv";

    /// <summary>The default cluster's protocol: <c>kv</c>, <c>paxos</c> or <c>failure-detector</c>.</summary>
    public string Protocol { get; set; } = "kv";

    /// <summary>The default cluster's replica count.</summary>
    public int Nodes { get; set; } = 3;

    /// <summary>The redis profile's server.</summary>
    public RedisSettings Redis { get; set; } = new();

    /// <summary>The azure profile's storage account.</summary>
    public AzureStorageSettings AzureStorage { get; set; } = new();

    /// <summary>Silo-to-silo and client-to-silo TLS; off unless a certificate is given.</summary>
    public TlsSettings Tls { get; set; } = new();

    /// <summary>Credentials the dashboard and status endpoint require when not on loopback.</summary>
    public DashboardSettings Dashboard { get; set; } = new();

    /// <summary>How fast a dead silo is declared dead (Orleans' liveness probes).</summary>
    public MembershipSettings Membership { get; set; } = new();

    /// <summary>The address to advertise, or null when <see cref="AdvertisedAddress"/> is not an IP address.</summary>
    public IPAddress? AdvertisedIp() =>
        AdvertisedAddress.Length == 0 ? IPAddress.Loopback : IPAddress.TryParse(AdvertisedAddress, out var ip) ? ip : null;

    /// <summary>One line per problem; empty when the options are usable.</summary>
    public IEnumerable<string> Problems()
    {
        if (!StorageProfiles.Names.Contains(Storage)) yield return $"Storage '{Storage}' is not one of {string.Join(", ", StorageProfiles.Names)}";
        if (Storage == StorageProfiles.Embedded && string.IsNullOrWhiteSpace(DataPath)) yield return "DataPath must not be empty";
        if (Storage == StorageProfiles.Redis && string.IsNullOrWhiteSpace(Redis.ConnectionString))
            yield return "the redis profile needs Redis:ConnectionString (--redis HOST:PORT or ORLEANSNODES__REDIS__CONNECTIONSTRING)";
        if (Storage == StorageProfiles.Azure && string.IsNullOrWhiteSpace(AzureStorage.ConnectionString) && string.IsNullOrWhiteSpace(AzureStorage.AccountName))
            yield return "the azure profile needs AzureStorage:ConnectionString or AzureStorage:AccountName (ORLEANSNODES__AZURESTORAGE__CONNECTIONSTRING)";
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            yield return $"Url '{Url}' is not an http(s) URL";
        if (SiloPort is < 1 or > 65535) yield return $"SiloPort {SiloPort} is not a port";
        if (GatewayPort is < 1 or > 65535) yield return $"GatewayPort {GatewayPort} is not a port";
        if (SiloPort == GatewayPort) yield return "SiloPort and GatewayPort must differ";
        if (string.IsNullOrWhiteSpace(ClusterId)) yield return "ClusterId must not be empty";
        if (string.IsNullOrWhiteSpace(ServiceId)) yield return "ServiceId must not be empty";
        if (AdvertisedIp() is null) yield return $"AdvertisedAddress '{AdvertisedAddress}' is not an IP address";
        if (TickMs is < 1 or > 60_000) yield return $"TickMs {TickMs} is outside 1..60000";
        if (PlacementMs is < 10 or > 60_000) yield return $"PlacementMs {PlacementMs} is outside 10..60000";
        if (StopTimeoutMs is < 1_000 or > 600_000) yield return $"StopTimeoutMs {StopTimeoutMs} is outside 1000..600000";
        if (Cluster.Length > 0 && Hosting.Clusters.NodeKey.ValidateClusterName(Cluster) is { } nameProblem) yield return nameProblem;
        if (Nodes is < 1 or > Hosting.Clusters.NodeKey.MaxNodes) yield return $"Nodes {Nodes} is outside 1..{Hosting.Clusters.NodeKey.MaxNodes}";
        foreach (var problem in Membership.Problems()) yield return problem;
    }
}

/// <summary>The redis profile's settings (<c>OrleansNodes:Redis</c>).</summary>
public sealed class RedisSettings
{
    /// <summary>A StackExchange.Redis configuration string, e.g. <c>localhost:6379</c> or <c>redis:6379,password=…</c>.</summary>
    public string ConnectionString { get; set; } = "";
}

/// <summary>The azure profile's settings (<c>OrleansNodes:AzureStorage</c>).</summary>
public sealed class AzureStorageSettings
{
    /// <summary>A storage connection string (also the Azurite emulator's). Takes precedence over <see cref="AccountName"/>.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The storage account name, reached with a managed identity instead of a key.</summary>
    public string AccountName { get; set; } = "";

    /// <summary>The client id of a user-assigned managed identity; empty for the default credential chain.</summary>
    public string ManagedIdentityClientId { get; set; } = "";
}

/// <summary>TLS settings (<c>OrleansNodes:Tls</c>).</summary>
public sealed class TlsSettings
{
    /// <summary>A PKCS#12 (.pfx) file with this silo's certificate and private key; empty for no TLS.</summary>
    public string CertificatePath { get; set; } = "";

    /// <summary>The .pfx file's password, if any.</summary>
    public string CertificatePassword { get; set; } = "";

    /// <summary>
    /// A PEM or DER certificate of the authority peers' certificates must chain to; empty to use
    /// the machine's trust store.
    /// </summary>
    public string CaCertificatePath { get; set; } = "";

    /// <summary>Whether TLS is on.</summary>
    public bool Enabled => CertificatePath.Length > 0;
}

/// <summary>Dashboard credentials (<c>OrleansNodes:Dashboard</c>), required when it is not bound to loopback.</summary>
public sealed class DashboardSettings
{
    /// <summary>The user name HTTP basic authentication expects.</summary>
    public string Username { get; set; } = "";

    /// <summary>The password HTTP basic authentication expects.</summary>
    public string Password { get; set; } = "";
}
