using System.CommandLine;
using OrleansNodes.Client.Remote;
using OrleansNodes.Hosting.Clusters;
using Spectre.Console;
using Command = System.CommandLine.Command;

namespace OrleansNodes.Client.Commands;

/// <summary>
/// <c>orleansnodes cluster create|list|status</c>: define clusters on a running silo and look
/// at their nodes. Exit 0 on success, 2 for an unknown cluster or a spec the silo refuses
/// (unknown protocol, a name taken by a different cluster), 3 when no silo answers. <c>list</c>
/// and <c>status</c> print JSON with <c>-o json</c> (<see cref="StatusJson"/>).
/// </summary>
public static class ClusterCommand
{
    /// <summary>Builds the command and its subcommands.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var cluster = new Command("cluster", "Create, list and inspect clusters on a running silo.");
        cluster.Subcommands.Add(CreateCluster(console));
        cluster.Subcommands.Add(List(console));
        cluster.Subcommands.Add(Status(console));
        return cluster;
    }

    private static Command CreateCluster(IAnsiConsole console)
    {
        var name = new Argument<string>("name") { Description = "The new cluster's name." };
        var protocol = new Option<string>("--protocol") { Description = "The protocol its nodes run, as the silo registered it (kv, paxos, failure-detector).", DefaultValueFactory = _ => KvCommand.Protocol };
        var nodes = OptionRules.Require(
            new Option<int>("--nodes") { Description = "How many nodes.", DefaultValueFactory = _ => 3 },
            v => v is >= 1 and <= NodeKey.MaxNodes, $"--nodes must be between 1 and {NodeKey.MaxNodes}");
        var seed = new Option<ulong?>("--seed") { Description = "Seed of the nodes' randomness (default: derived from the name)." };
        var command = new Command("create", "Create a cluster and start its nodes (repeating the same create is a no-op).") { name, protocol, nodes, seed };
        command.Validators.Add(r =>
        {
            if (r.GetValue(name) is { } n && NodeKey.ValidateClusterName(n) is { } problem) r.AddError(problem);
        });
        var remote = new RemoteOptions();
        remote.AddTo(command);
        command.SetAction((parse, cancellation) =>
        {
            var spec = new ClusterSpec(parse.GetValue(name)!, parse.GetValue(protocol)!, parse.GetValue(nodes), Seed: parse.GetValue(seed));
            return SiloConnection.RunAsync(remote.Read(parse), async (silo, _) =>
            {
                // The registry validates the spec (protocol known, name free); SiloConnection turns its refusal into exit 2.
                var created = await silo.Nodes.CreateClusterAsync(spec);
                console.MarkupLineInterpolated($"[green]created[/] {created.Name}: {created.Protocol} × {created.NodeCount}, seed {created.Seed}");
                return ExitCodes.Ok;
            }, cancellation);
        });
        return command;
    }

    private static Command List(IAnsiConsole console)
    {
        var command = new Command("list", "List the clusters.");
        var output = OutputOption.Create(command);
        var remote = new RemoteOptions();
        remote.AddTo(command);
        command.SetAction((parse, cancellation) => SiloConnection.RunAsync(remote.Read(parse), async (silo, _) =>
        {
            var clusters = await silo.Nodes.ListClustersAsync();
            if (parse.IsJson(output)) JsonLines.Write(console, StatusJson.Clusters(clusters));
            else console.Write(StatusTables.Clusters(clusters));
            return ExitCodes.Ok;
        }, cancellation));
        return command;
    }

    private static Command Status(IAnsiConsole console)
    {
        var name = new Argument<string>("name") { Description = "The cluster." };
        var command = new Command("status", "Show every node of a cluster: state, ticks, steps, messages, inbox, persisted version, and what it writes to storage.") { name };
        var output = OutputOption.Create(command);
        var remote = new RemoteOptions();
        remote.AddTo(command);
        command.SetAction((parse, cancellation) => SiloConnection.RunAsync(remote.Read(parse), async (silo, _) =>
        {
            await ClusterOption.RequireAsync(silo, parse.GetValue(name)!);
            var status = await silo.Nodes.StatusAsync(parse.GetValue(name)!);
            if (parse.IsJson(output))
            {
                JsonLines.Write(console, StatusJson.Cluster(status));
                return ExitCodes.Ok;
            }
            console.Write(StatusTables.Nodes(status));
            console.Write(StatusTables.Storage(status));
            return ExitCodes.Ok;
        }, cancellation));
        return command;
    }
}
