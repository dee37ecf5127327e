namespace OrleansNodes.Client.Tests;

public class CliTests
{
    [Theory]
    [InlineData("kv", "Commands:", "get <key>")]
    [InlineData("cluster", "Commands:", "status <name>")]
    [InlineData("sim", "Options:", "--seeds <seeds>")]
    [InlineData("watch", "Options:", "--count <count>")]
    public void Help_AnyCommand_EveryEntryOnItsOwnLine(string command, string heading, string entry)
    {
        var run = ConsoleRun.Of(command, "--help");
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        var lines = run.Output.Split('\n').Select(l => l.Trim()).ToList();
        Assert.Contains(heading, lines);
        Assert.Contains(lines, l => l.StartsWith(entry, StringComparison.Ordinal));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^-\?, -h, --help\s+Show help and usage information$"));
    }

    [Fact]
    public void Help_Root_ListsTheSiloCommands()
    {
        var run = ConsoleRun.Of("--help");
        foreach (var command in new[] { "kv", "cluster", "watch", "sim", "check" })
            Assert.Matches($@"(?m)^\s+{command}\b", run.Output);
    }
}
