using System.CommandLine;
using System.CommandLine.Help;
using OrleansNodes.Client.Commands;
using Spectre.Console;

namespace OrleansNodes.Client;

/// <summary>
/// The <c>orleansnodes</c> console: parses the command line, runs one command, and turns every
/// failure into one clear line on standard error and an exit code (see <see cref="ExitCodes"/>).
/// </summary>
public static class Cli
{
    /// <summary>How long a command may take to finish after Ctrl+C or SIGTERM before the console ends anyway.</summary>
    public static readonly TimeSpan TerminationGrace = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Runs the console with <paramref name="args"/>; returns the process exit code. No arguments
    /// print the help and exit 0, as <c>kubectl</c> does: a first look is not a mistake.
    /// <paramref name="input"/> is what <c>kv shell</c> reads (standard input when null), with a
    /// prompt when it is a terminal.
    /// </summary>
    public static int Run(string[] args, IAnsiConsole console, TextWriter error, TextReader? input = null)
    {
        var root = BuildRoot(console, input ?? Console.In, interactive: input is null && !Console.IsInputRedirected);
        var parse = root.Parse(args.Length == 0 ? new[] { "--help" } : args);
        // [suggest:N] "line" (the completion scripts' call) answers for a line that need not parse.
        if (parse.Errors.Count > 0 && parse.Action is not { ClearsParseErrors: true })
        {
            var problem = ParseErrors.Describe(parse);
            error.WriteLine($"error: {problem.Message}");
            if (problem.ShowUsage) error.WriteLine($"usage: {Usage(parse.CommandResult.Command)} (see --help)");
            return ExitCodes.BadInput;
        }

        try
        {
            // Ctrl+C and SIGTERM cancel the token the commands are given (a watch stops cleanly, a
            // test kills the silos it started), and the command has TerminationGrace to finish.
            // Without ProcessTerminationTimeout, System.CommandLine leaves the signals alone and
            // the process dies at once, mid-request and with its children running.
            return parse.InvokeAsync(new InvocationConfiguration
            {
                Output = new ConsoleWriter(console),
                Error = error,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = TerminationGrace,
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

    private static RootCommand BuildRoot(IAnsiConsole console, TextReader input, bool interactive)
    {
        var root = new RootCommand("OrleansNodes: simulate, check and run distributed protocols written as pure step functions.");
        root.Subcommands.Add(SimCommand.Create(console));
        root.Subcommands.Add(ExploreCommand.Create(console));
        root.Subcommands.Add(CheckCommand.Create(console));
        root.Subcommands.Add(KvCommand.Create(console, input, interactive));
        root.Subcommands.Add(ClusterCommand.Create(console));
        root.Subcommands.Add(WatchCommand.Create(console));
        root.Subcommands.Add(TestCommand.Create(console));
        root.Subcommands.Add(CompletionCommand.Create(console));
        // Help wraps where the console does: the terminal's width (or COLUMNS), never in a pipe.
        if (root.Options.OfType<HelpOption>().FirstOrDefault()?.Action is HelpAction help) help.MaxWidth = console.Profile.Width;
        return root;
    }

    private static string Usage(Command command)
    {
        var arguments = string.Concat(command.Arguments.Select(a => $" <{a.Name}>"));
        var options = command.Options.Any(o => o.Name is not "--help" and not "-h" and not "--version") ? " [options]" : "";
        var subcommands = command.Subcommands.Count > 0 ? " <command>" : "";
        return ParseErrors.Path(command) + subcommands + arguments + options;
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
