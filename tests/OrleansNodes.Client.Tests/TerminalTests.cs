using System.Text.RegularExpressions;
using OrleansNodes.TestServers;

namespace OrleansNodes.Client.Tests;

/// <summary>What the console writes to a pipe (never wrapped, no ANSI codes) and to a terminal whose width COLUMNS gives.</summary>
public sealed class TerminalTests
{
    [Fact]
    public async Task Pipe_SimSummaryAndVerdict_NoHeadingCutAndNoLineWrapped()
    {
        // The real process with its output redirected, as in `orleansnodes sim ... | grep`.
        var run = await ConsoleProcess.RunAsync(["sim", "paxos", "--seeds", "3", "--steps", "100", "--faults", "none"], TimeSpan.FromMinutes(2));

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        var lines = run.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        // At 80 columns the heading was cut to "deliver…" and the verdict's reason wrapped.
        Assert.Contains(lines, l => l.Contains("│ deliveries │ violations │", StringComparison.Ordinal));
        Assert.DoesNotContain("…", run.Output);
        var row = lines.FindIndex(l => l.StartsWith("│ paxos", StringComparison.Ordinal));
        Assert.StartsWith("╰", lines[row + 1]);
        Assert.Contains(lines, l => l.StartsWith("failed: goal '", StringComparison.Ordinal) && l.Contains("the default is 100", StringComparison.Ordinal));
        Assert.DoesNotContain("\u001b[", run.Output);
    }

    [Fact]
    public void Create_TerminalWithColumns_HelpAndTablesWrapAtThatWidth()
    {
        var output = new StringWriter();
        var console = Terminal.Create(output, redirected: false, columns: "60");
        Assert.Equal(60, console.Profile.Width);

        Assert.Equal(ExitCodes.Ok, Cli.Run(["sim", "--help"], console, new StringWriter()));
        var lines = Regex.Replace(output.ToString(), @"\u001b\[[0-9;?]*[A-Za-z]", "").Split('\n').Select(l => l.TrimEnd('\r', ' ')).ToList();
        Assert.All(lines, l => Assert.True(l.Length <= 60, $"{l.Length} columns: {l}"));
        Assert.Contains(lines, l => l.Length > 45);
    }

    [Fact]
    public void Create_Redirected_PlainAndWideWhateverColumnsSays()
    {
        var console = Terminal.Create(new StringWriter(), redirected: true, columns: "60");
        Assert.Equal(Terminal.PipeWidth, console.Profile.Width);
        Assert.False(console.Profile.Capabilities.Ansi);
        Assert.False(console.Profile.Capabilities.Interactive);
    }
}
