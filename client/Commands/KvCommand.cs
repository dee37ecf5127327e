using System.CommandLine;
using OrleansNodes.Client.Remote;
using OrleansNodes.Hosting.Clients;
using OrleansNodes.Protocols.KeyValue;
using Spectre.Console;
using Command = System.CommandLine.Command;

namespace OrleansNodes.Client.Commands;

/// <summary>
/// <c>orleansnodes kv get|put|delete|cas|append</c>: one request to a key-value cluster on a
/// running silo (and <c>kv load</c>, many of them: <see cref="KvLoadCommand"/>; <c>kv shell</c>,
/// one per line of input: <see cref="KvShellCommand"/>). Prints the value or <c>ok</c> and exits
/// 0; a missing key or a cas that did not apply exits 1; an unknown cluster exits 2; an
/// unreachable silo exits 3; a request without an answer in time is an "unknown outcome" and
/// exits 5. <c>-o json</c> prints the answer as one JSON object (<see cref="KvOutcome"/>).
/// </summary>
public static class KvCommand
{
    /// <summary>The protocol name a cluster must run for these commands.</summary>
    public const string Protocol = "kv";

    /// <summary>Builds the command and its subcommands.</summary>
    public static Command Create(IAnsiConsole console, TextReader input, bool interactive)
    {
        var kv = new Command("kv", "Read and write a key-value cluster on a running silo.");

        var getKey = Key();
        var get = Leaf(console, "get", "Read a key (exit 1 when it is missing).", [getKey], p => new KeyValueCommand.Get(p.GetValue(getKey)!));

        var putKey = Key();
        var value = new Argument<string>("value") { Description = "The value to write." };
        var put = Leaf(console, "put", "Write a key.", [putKey, value], p => new KeyValueCommand.Put(p.GetValue(putKey)!, p.GetValue(value)!));

        var deleteKey = Key();
        var delete = Leaf(console, "delete", "Remove a key (ok when it is already missing).", [deleteKey], p => new KeyValueCommand.Delete(p.GetValue(deleteKey)!));

        var appendKey = Key();
        var suffix = new Argument<string>("suffix") { Description = "What to append; a missing key counts as empty." };
        var append = Leaf(console, "append", "Append to a key's value.", [appendKey, suffix], p => new KeyValueCommand.Append(p.GetValue(appendKey)!, p.GetValue(suffix)!));

        var casKey = Key();
        var values = new Argument<string[]>("expected-new")
        {
            Description = "EXPECTED NEW: write NEW if the key's value is EXPECTED; with --expect-absent, just NEW (write it if the key is missing).",
            Arity = new ArgumentArity(1, 2),
        };
        var expectAbsent = new Option<bool>("--expect-absent") { Description = "Write only if the key is missing (then give just NEW)." };
        var cas = Leaf(console, "cas", "Compare-and-set (exit 1 with the current value when it does not apply).", [casKey, values, expectAbsent], p =>
        {
            var given = p.GetValue(values)!;
            return p.GetValue(expectAbsent)
                ? new KeyValueCommand.Cas(p.GetValue(casKey)!, null, given[0])
                : new KeyValueCommand.Cas(p.GetValue(casKey)!, given[0], given[1]);
        });
        cas.Validators.Add(r =>
        {
            var count = r.GetValue(values)?.Length ?? 0;
            if (r.GetValue(expectAbsent) && count != 1) r.AddError("with --expect-absent, give the key and the new value only");
            if (!r.GetValue(expectAbsent) && count != 2) r.AddError("give the key, the expected value and the new value (or --expect-absent and the new value)");
        });

        foreach (var leaf in new[] { get, put, delete, cas, append }) kv.Subcommands.Add(leaf);
        kv.Subcommands.Add(KvLoadCommand.Create(console));
        kv.Subcommands.Add(KvShellCommand.Create(console, input, interactive));
        return kv;
    }

    private static Argument<string> Key() => new("key") { Description = "The key." };

    private static Command Leaf(IAnsiConsole console, string name, string description, Symbol[] symbols, Func<ParseResult, KeyValueCommand> request)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            if (symbol is Argument argument) command.Arguments.Add(argument);
            else command.Options.Add((Option)symbol);
        }
        SetSessionAction(command, async (parse, session, json, _) =>
        {
            var kvCommand = request(parse);
            var outcome = await session.SubmitAsync(kvCommand);
            var (line, exitCode) = KvOutcome.Render(kvCommand, outcome, json);
            console.Profile.Out.Writer.WriteLine(line);
            return exitCode;
        });
        return command;
    }

    /// <summary>
    /// Adds <c>--cluster</c>, <c>-o</c> and the silo options to <paramref name="command"/>, and
    /// makes its action connect, check that the cluster exists and runs kv, open one client
    /// session on it, and run <paramref name="body"/> (the parse result, the session, whether the
    /// output is JSON, the cancellation token); its result is the exit code.
    /// </summary>
    internal static void SetSessionAction(Command command, Func<ParseResult, ClusterSession, bool, CancellationToken, Task<int>> body)
    {
        var cluster = ClusterOption.Create(command);
        var output = OutputOption.Create(command);
        var remote = new RemoteOptions();
        remote.AddTo(command);
        command.SetAction((parse, cancellation) =>
        {
            var target = remote.Read(parse);
            return SiloConnection.RunAsync(target, async (silo, token) =>
            {
                var clusterName = parse.GetValue(cluster)!;
                await ClusterOption.RequireAsync(silo, clusterName, Protocol);
                return await body(parse, silo.Nodes.OpenSession(clusterName, target.Timeout), parse.IsJson(output), token);
            }, cancellation);
        });
    }
}
