using System.Collections.Immutable;
using System.Globalization;
using OrleansNodes.Hosting.Clusters;
using Spectre.Console;

namespace OrleansNodes.Client.Commands;

/// <summary>The tables <c>cluster list</c>, <c>cluster status</c> and <c>watch</c> print.</summary>
public static class StatusTables
{
    /// <summary>One row per cluster: name, protocol, nodes, seed, settings.</summary>
    public static Table Clusters(ImmutableArray<ClusterDefinition> clusters)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("clusters");
        table.AddColumns("name", "protocol", "nodes", "seed", "settings");
        foreach (var c in clusters)
            table.AddRow(Text(c.Name), Text(c.Protocol), Number(c.NodeCount), Text(c.Seed.ToString(CultureInfo.InvariantCulture)), Text(c.Settings.ToString() ?? ""));
        return table;
    }

    /// <summary>
    /// One row per node: whether it runs, the protocol's description of its state (role,
    /// ballot, log indexes), ticks, steps, messages sent, inbox depth, requests waiting for an
    /// answer, and the durable state version. Counters count since the node's activation.
    /// </summary>
    public static Table Nodes(ClusterStatus status)
    {
        var d = status.Definition;
        var table = new Table().Border(TableBorder.Rounded).Title($"{d.Name}: {d.Protocol} × {d.NodeCount}");
        table.AddColumn("node").AddColumn("up").AddColumn("state");
        foreach (var numeric in new[] { "ticks", "steps", "sent", "inbox", "pending", "version" })
            table.AddColumn(new TableColumn(numeric).RightAligned());
        foreach (var n in status.Nodes)
        {
            table.AddRow(
                Text(n.Node.ToString()),
                n.Running ? new Markup("[green]up[/]") : new Markup("[red]down[/]"),
                Text(n.Description),
                Number(n.Ticks), Number(n.Steps), Number(n.MessagesSent), Number(n.InboxDepth), Number(n.PendingRequests), Number(n.PersistedVersion));
        }
        return table;
    }

    // Spectre's Text renders verbatim: protocol descriptions contain brackets that markup would eat.
    private static Text Text(string value) => new(value);

    private static Text Number(long value) => new(value.ToString("N0", CultureInfo.InvariantCulture));
}
