namespace OrleansNodes.Client.Tests;

/// <summary>Runs the console in-process with captured output, as a person would see it in a pipe.</summary>
public sealed record ConsoleRun(int ExitCode, string Output, string Error)
{
    public static ConsoleRun Of(params string[] args) => WithInput(null, args);

    /// <summary>Runs the console with <paramref name="input"/> as its standard input (a pipe, not a terminal).</summary>
    public static ConsoleRun WithInput(string? input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        // The console Program.cs makes when standard output is redirected.
        var console = Terminal.Create(output, redirected: true, columns: null);
        var code = Cli.Run(args, console, error, input is null ? null : new StringReader(input));
        return new ConsoleRun(code, output.ToString(), error.ToString());
    }

    /// <summary>The error text is one line (no stack trace) plus, for usage errors, a usage line.</summary>
    public void AssertCleanError(int expectedExitCode)
    {
        Assert.Equal(expectedExitCode, ExitCode);
        var lines = Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(lines.Length, 1, 2);
        Assert.StartsWith("error: ", lines[0]);
        Assert.DoesNotContain("   at ", Error);
    }
}
