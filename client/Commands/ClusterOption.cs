using System.CommandLine;
using OrleansNodes.Client.Remote;
using OrleansNodes.Hosting.Clusters;
using Command = System.CommandLine.Command;

namespace OrleansNodes.Client.Commands;

/// <summary>The <c>--cluster</c> option of the kv commands, and the check that the cluster exists.</summary>
public static class ClusterOption
{
    /// <summary>The cluster a silo started with default settings creates.</summary>
    public const string Default = "kv";

    /// <summary>Adds <c>--cluster NAME</c> (default <c>kv</c>) to <paramref name="command"/>.</summary>
    public static Option<string> Create(Command command)
    {
        var option = new Option<string>("--cluster") { Description = "The cluster to talk to.", DefaultValueFactory = _ => Default };
        command.Options.Add(option);
        return option;
    }

    /// <summary>
    /// The definition of cluster <paramref name="name"/>; a one-line error (exit 2) naming the
    /// clusters that do exist when there is no such cluster, or when it runs another protocol.
    /// </summary>
    public static async Task<ClusterInfo> RequireAsync(SiloConnection silo, string name, string? protocol = null)
    {
        if (await silo.Nodes.FindClusterAsync(name) is not { } definition)
        {
            var known = (await silo.Nodes.ListClustersAsync()).Select(c => c.Name).ToList();
            throw CliException.BadInput($"no cluster named '{name}' at {silo.Target.GatewayText} (clusters: {(known.Count == 0 ? "none" : string.Join(", ", known))})");
        }
        if (protocol is not null && !string.Equals(definition.Protocol, protocol, StringComparison.OrdinalIgnoreCase))
            throw CliException.BadInput($"cluster '{name}' runs {definition.Protocol}, not {protocol}");
        return definition;
    }
}
