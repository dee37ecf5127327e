namespace OrleansNodes.Silo;

/// <summary>
/// The silo's configuration (section <c>OrleansNodes</c> of appsettings.json, environment
/// variables <c>ORLEANSNODES__*</c>, or the command line, e.g. <c>--data ./other --nodes 5</c>).
/// </summary>
public sealed class HostSettings
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OrleansNodes";

    /// <summary>Folder of the SQLite file holding node state and reminders.</summary>
    public string DataPath { get; set; } = "data";

    /// <summary>Where the dashboard and the status endpoint listen. Loopback by default: neither is authenticated.</summary>
    public string Url { get; set; } = "http://localhost:8080";

    /// <summary>Orleans silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Orleans client gateway port (the console connects here).</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Real time per protocol tick, in milliseconds.</summary>
    public int TickMs { get; set; } = 50;

    /// <summary>The cluster created on first start; empty to create none.</summary>
    public string Cluster { get; set; } = "kv";

    /// <summary>The default cluster's protocol: <c>kv</c>, <c>paxos</c> or <c>failure-detector</c>.</summary>
    public string Protocol { get; set; } = "kv";

    /// <summary>The default cluster's replica count.</summary>
    public int Nodes { get; set; } = 3;

    /// <summary>One line per problem; empty when the options are usable.</summary>
    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(DataPath)) yield return "DataPath must not be empty";
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            yield return $"Url '{Url}' is not an http(s) URL";
        if (SiloPort is < 1 or > 65535) yield return $"SiloPort {SiloPort} is not a port";
        if (GatewayPort is < 1 or > 65535) yield return $"GatewayPort {GatewayPort} is not a port";
        if (SiloPort == GatewayPort) yield return "SiloPort and GatewayPort must differ";
        if (TickMs is < 1 or > 60_000) yield return $"TickMs {TickMs} is outside 1..60000";
        if (Cluster.Length > 0 && Hosting.Clusters.NodeKey.ValidateClusterName(Cluster) is { } nameProblem) yield return nameProblem;
        if (Nodes is < 1 or > Hosting.Clusters.NodeKey.MaxNodes) yield return $"Nodes {Nodes} is outside 1..{Hosting.Clusters.NodeKey.MaxNodes}";
    }
}
