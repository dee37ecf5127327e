using System.CommandLine;
using OrleansNodes.Client.Commands;
using Spectre.Console;

namespace OrleansNodes.Client;

/// <summary>
/// The <c>orleansnodes</c> console: parses the command line, runs one command, and turns every
/// failure into one clear line on standard error and an exit code (see <see cref="ExitCodes"/>).
/// </summary>
public static class Cli
{
    /// <summary>Runs the console with <paramref name="args"/>; returns the process exit code.</summary>
    public static int Run(string[] args, IAnsiConsole console, TextWriter error)
    {
        var root = BuildRoot(console);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // "Unrecognized command or argument 'x'" says more than "Required command was not provided".
            var first = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
            error.WriteLine($"error: {OneLine(first.Message)}");
            error.WriteLine($"usage: {Usage(parse.CommandResult.Command)} (see --help)");
            return ExitCodes.BadInput;
        }

        try
        {
            // InvokeAsync, so that Ctrl+C cancels the token the silo commands pass on (a watch stops
            // cleanly) instead of killing the process mid-request.
            return parse.InvokeAsync(new InvocationConfiguration
            {
                Output = new ConsoleWriter(console),
                Error = error,
                EnableDefaultExceptionHandler = false,
            }).GetAwaiter().GetResult();
        }
        catch (CliException e)
        {
            error.WriteLine($"error: {e.Message}");
            return e.ExitCode;
        }
        catch (IOException e)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitCodes.Unavailable;
        }
        catch (UnauthorizedAccessException e)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitCodes.Unavailable;
        }
    }

    /// <summary>Folds System.CommandLine's multi-line messages ("Must be one of:\n\t'a'\n\t'b'") into one line.</summary>
    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static RootCommand BuildRoot(IAnsiConsole console)
    {
        var root = new RootCommand("OrleansNodes: simulate, check and run distributed protocols written as pure step functions.");
        root.Subcommands.Add(SimCommand.Create(console));
        root.Subcommands.Add(CheckCommand.Create(console));
        root.Subcommands.Add(KvCommand.Create(console));
        root.Subcommands.Add(ClusterCommand.Create(console));
        root.Subcommands.Add(WatchCommand.Create(console));
        return root;
    }

    private static string Usage(Command command)
    {
        var names = new List<string>();
        for (Symbol? s = command; s is Command c; s = c.Parents.FirstOrDefault())
            names.Insert(0, s is RootCommand ? "orleansnodes" : c.Name);
        var arguments = string.Concat(command.Arguments.Select(a => $" <{a.Name}>"));
        var options = command.Options.Any(o => o.Name is not "--help" and not "-h" and not "--version") ? " [options]" : "";
        var subcommands = command.Subcommands.Count > 0 ? " <command>" : "";
        return string.Join(' ', names) + subcommands + arguments + options;
    }

    /// <summary>Lets System.CommandLine's help go through the same console as everything else.</summary>
    private sealed class ConsoleWriter(IAnsiConsole console) : StringWriter
    {
        public override void Write(char value) => console.Profile.Out.Writer.Write(value);

        public override void Write(string? value) => console.Profile.Out.Writer.Write(value);

        public override void Write(char[] buffer, int index, int count) => console.Profile.Out.Writer.Write(buffer, index, count);

        public override void Write(ReadOnlySpan<char> buffer) => console.Profile.Out.Writer.Write(buffer);

        public override void WriteLine() => console.Profile.Out.Writer.WriteLine();

        public override void WriteLine(string? value) => console.Profile.Out.Writer.WriteLine(value);
    }
}
