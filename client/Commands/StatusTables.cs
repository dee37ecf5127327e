using System.Collections.Immutable;
using System.Globalization;
using OrleansNodes.Hosting.Clusters;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace OrleansNodes.Client.Commands;

/// <summary>The tables <c>cluster list</c>, <c>cluster status</c> and <c>watch</c> print.</summary>
public static class StatusTables
{
    /// <summary>One row per cluster: name, protocol, nodes, seed (settings are in <c>cluster status</c>).</summary>
    public static Table Clusters(ImmutableArray<ClusterInfo> clusters)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("clusters");
        table.AddColumn("name").AddColumn("protocol").AddColumn(new TableColumn("nodes").RightAligned()).AddColumn(new TableColumn("seed").RightAligned());
        foreach (var c in clusters)
            table.AddRow(Text(c.Name), Text(c.Protocol), Number(c.NodeCount), Text(c.Seed.ToString(CultureInfo.InvariantCulture)));
        if (clusters.IsEmpty) table.Caption("no clusters yet: orleansnodes cluster create NAME --protocol kv");
        return table;
    }

    /// <summary>
    /// One row per node: its id (marked down when its activation is not running, "no answer" when
    /// it did not answer in time: its silo may be gone or frozen), ticks,
    /// steps, messages sent, inbox depth, requests waiting for an answer, the durable version
    /// (writes ever), the silo it runs on (<c>HOST:PORT</c>, the silo port), and last the protocol's description of its state (role, ballot, log
    /// indexes), which gets the width that is left. Counters count since the node's activation.
    /// The protocol's settings follow on a line of their own: as the table's caption they would
    /// wrap at the table's width, which is narrower than the settings even in a pipe.
    /// </summary>
    public static IRenderable Nodes(ClusterStatus status)
    {
        var d = status.Cluster;
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"{d.Name}: {d.Protocol} × {d.NodeCount}, seed {d.Seed}");
        table.AddColumn("node");
        foreach (var numeric in new[] { "ticks", "steps", "sent", "inbox", "pending", "version" })
            table.AddColumn(new TableColumn(numeric).RightAligned());
        table.AddColumn("silo");
        table.AddColumn("state");
        foreach (var n in status.Nodes)
        {
            table.AddRow(
                NodeCell(n),
                Number(n.Ticks), Number(n.Steps), Number(n.MessagesSent), Number(n.InboxDepth), Number(n.PendingRequests), Number(n.PersistedVersion),
                Text(SiloEndpoint(n.Silo)),
                Text(n.Description));
        }
        return new Rows(table, Text(d.Settings));
    }

    // "127.0.0.1:11111@155546466": the generation tells restarts apart, which the table does not need.
    private static string SiloEndpoint(string silo) => silo.IndexOf('@') is var at and > 0 ? silo[..at] : silo;

    /// <summary>
    /// One row per node: what it costs its storage. Writes and bytes per second over the last ten
    /// seconds (a quiet cluster writes nothing), writes and bytes since the activation started,
    /// entries in its durable log, and its last snapshot's index and size.
    /// </summary>
    public static Table Storage(ClusterStatus status)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"{status.Cluster.Name}: storage");
        table.AddColumn("node");
        foreach (var numeric in new[] { "writes/s", "bytes/s", "writes", "bytes", "log", "snapshot", "size" })
            table.AddColumn(new TableColumn(numeric).RightAligned());
        foreach (var n in status.Nodes)
        {
            table.AddRow(
                NodeCell(n),
                Text(n.WritesPerSecond.ToString("0.#", CultureInfo.InvariantCulture)), Text(Bytes(n.BytesPerSecond)),
                Number(n.StorageWrites), Text(Bytes(n.StorageBytes)), Number(n.LogLength),
                n.SnapshotIndex is { } index ? Number(index) : Text("none"), Text(n.SnapshotIndex is null ? "" : Bytes(n.SnapshotBytes)));
        }
        return table;
    }

    private static IRenderable NodeCell(Hosting.Nodes.NodeStatus n) =>
        n.Running ? Text(n.Node.ToString()) : new Markup($"[red]{n.Node} {(n.Answered ? "down" : "no answer")}[/]");

    /// <summary>A byte count for a person: <c>812 B</c>, <c>4.2 KB</c>, <c>130 MB</c>.</summary>
    public static string Bytes(double bytes) => bytes switch
    {
        < 1_000 => bytes.ToString("0", CultureInfo.InvariantCulture) + " B",
        < 1_000_000 => (bytes / 1_000).ToString("0.#", CultureInfo.InvariantCulture) + " KB",
        < 1_000_000_000 => (bytes / 1_000_000).ToString("0.#", CultureInfo.InvariantCulture) + " MB",
        _ => (bytes / 1_000_000_000).ToString("0.##", CultureInfo.InvariantCulture) + " GB",
    };

    // Spectre's Text renders verbatim: protocol descriptions contain brackets that markup would eat.
    private static Text Text(string value) => new(value);

    private static Text Number(long value) => new(value.ToString("N0", CultureInfo.InvariantCulture));
}
