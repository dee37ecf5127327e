using System.Collections.Immutable;
using OrleansNodes.Hosting.Clusters;

namespace OrleansNodes.Client.Commands;

/// <summary>
/// The JSON of <c>cluster list</c>, <c>cluster status</c> and <c>watch</c> (<c>-o json</c>). A
/// cluster's status is <see cref="StatusJsonView"/>, which the silo's <c>GET /status/{cluster}</c>
/// writes too, so a script can read either.
/// </summary>
public static class StatusJson
{
    /// <summary><c>{"clusters":[{"name","protocol","nodeCount","seed","settings"}]}</c>.</summary>
    public static object Clusters(ImmutableArray<ClusterInfo> clusters) => new
    {
        clusters = clusters.Select(c => new
        {
            name = c.Name,
            protocol = c.Protocol,
            nodeCount = c.NodeCount,
            seed = c.Seed,
            settings = c.Settings,
        }),
    };

    /// <summary><c>{"name","protocol","seed","settings","nodes":[...]}</c>, one entry per node: the silo's <c>/status/{cluster}</c> (<see cref="StatusJsonView"/>).</summary>
    public static object Cluster(ClusterStatus status) => StatusJsonView.Of(status);

    /// <summary>One refresh of <c>watch</c>: <c>{"refresh":N,"time":ISO-8601 UTC,"cluster":{...as Cluster...}}</c>.</summary>
    public static object Refresh(int refresh, DateTimeOffset time, ClusterStatus status) => new
    {
        refresh,
        time = time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
        cluster = Cluster(status),
    };
}
