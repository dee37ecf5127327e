using System.CommandLine;
using Spectre.Console;
using Command = System.CommandLine.Command;

namespace OrleansNodes.Client.Commands;

/// <summary>
/// <c>orleansnodes kv shell</c>: key-value requests read from standard input, one per line
/// (<see cref="KvShellLine"/>), over one connection and one client session. A one-shot command
/// pays the console's start and a new connection each time, most of a second; a line here costs
/// the request alone. Each answer is printed as the one-shot command prints it (<c>-o json</c>
/// too); a line that fails prints <c>error: line N: ...</c> on standard error and the shell goes
/// on. The exit code is 0 when every line was answered with 0, else the first other code a line
/// had (1, 2 or 5, as <see cref="KvCommand"/>); an unreachable silo ends it with 3, Ctrl+C with 130.
/// </summary>
public static class KvShellCommand
{
    /// <summary>The prompt shown when standard input is a terminal.</summary>
    public const string Prompt = "kv> ";

    /// <summary>Builds the command; <paramref name="input"/> is where lines come from, <paramref name="interactive"/> whether to prompt.</summary>
    public static Command Create(IAnsiConsole console, TextReader input, bool interactive)
    {
        var command = new Command("shell",
            "Send requests read from standard input, one per line (get KEY, put KEY VALUE, delete KEY, append KEY SUFFIX, " +
            "cas KEY EXPECTED NEW, cas KEY NEW --expect-absent; quote words with spaces), over one connection.");
        KvCommand.SetSessionAction(command, async (parse, session, json, token) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var answers = console.Profile.Out.Writer;
            var exitCode = ExitCodes.Ok;
            for (var number = 1; !token.IsCancellationRequested; number++)
            {
                if (interactive)
                {
                    answers.Write(Prompt);
                    answers.Flush();
                }
                string? line;
                try
                {
                    line = await input.ReadLineAsync(token);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    break;
                }
                if (line is null) break;
                try
                {
                    var parsed = KvShellLine.Parse(line);
                    if (parsed is KvShellLine.Parsed.End) break;
                    if (parsed is not KvShellLine.Parsed.Request { Command: var request }) continue;
                    var (answer, code) = KvOutcome.Render(request, await session.SubmitAsync(request), json);
                    answers.WriteLine(answer);
                    answers.Flush();
                    if (exitCode == ExitCodes.Ok) exitCode = code;
                }
                catch (CliException e)
                {
                    error.WriteLine($"error: line {number}: {e.Message}");
                    if (exitCode == ExitCodes.Ok) exitCode = e.ExitCode;
                }
            }
            return token.IsCancellationRequested ? ExitCodes.Interrupted : exitCode;
        });
        return command;
    }
}
