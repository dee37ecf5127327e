namespace OrleansNodes.Client.Tests;

/// <summary>How the console answers a command line it cannot run: the nearest name for a typo, plain words for a wrong type, a bound for a runaway size.</summary>
public sealed class ParseErrorsTests
{
    [Theory]
    [InlineData("error: unknown command 'simm'; did you mean 'sim'?", "simm", "paxos")]
    [InlineData("error: unknown command 'lst'; did you mean 'list'?", "cluster", "lst")]
    [InlineData("error: unknown option '--seed' for 'orleansnodes sim'; did you mean '--seeds'?", "sim", "paxos", "--seed", "5")]
    [InlineData("error: unknown protocol 'pxos'; did you mean 'paxos'? (known: paxos, failure-detector, kv)", "sim", "pxos")]
    public void Run_Typo_OneLineNamingTheNearestAndExitCode2(string expected, params string[] args)
    {
        var run = ConsoleRun.Of(args);
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal(expected, run.Error.TrimEnd());
    }

    [Fact]
    public void Run_NoArguments_PrintsTheHelpAndExitsZero()
    {
        var run = ConsoleRun.Of();
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal("", run.Error);
        Assert.Contains("Usage:", run.Output);
        Assert.Matches(@"(?m)^\s+sim\b", run.Output);
    }

    [Fact]
    public void Run_GroupWithoutItsCommand_NamesTheCommandsAndExitCode2()
    {
        var run = ConsoleRun.Of("kv");
        run.AssertCleanError(ExitCodes.BadInput);
        Assert.StartsWith("error: 'orleansnodes kv' needs a command: get, put, delete, cas, append, load", run.Error);
    }

    [Theory]
    [InlineData("--steps expects a whole number, got 'abc'", "sim", "paxos", "--steps", "abc")]
    [InlineData("--nodes expects a whole number, got 'many'", "sim", "paxos", "--nodes", "many")]
    [InlineData("--steps expects a whole number, got '99999999999' (too large)", "sim", "paxos", "--steps", "99999999999")]
    [InlineData("--first-seed expects a whole number of 0 or more, got '-1'", "sim", "paxos", "--first-seed", "-1")]
    [InlineData("--max-steps expects a whole number, got 'lots'", "check", "x.jsonl", "--max-steps", "lots")]
    [InlineData("--duration expects a number, got 'soon'", "kv", "load", "--duration", "soon")]
    [InlineData("--ops expects a whole number, got '1e3'", "kv", "load", "--ops", "1e3")]
    [InlineData("--timeout-ms expects a whole number, got '5s'", "kv", "get", "a", "--timeout-ms", "5s")]
    [InlineData("--interval-ms expects a whole number, got '1s'", "watch", "kv", "--interval-ms", "1s")]
    [InlineData("--seed expects a whole number of 0 or more, got 'x'", "cluster", "create", "demo", "--seed", "x")]
    public void Run_NumberOptionGivenText_SaysWhatItExpectsInWords(string expected, params string[] args)
    {
        var run = ConsoleRun.Of(args);
        run.AssertCleanError(ExitCodes.BadInput);
        Assert.Equal($"error: {expected}", run.Error.TrimEnd());
    }

    [Theory]
    [InlineData("--steps must be from 1 to 100000", "sim", "paxos", "--steps", "2147483647")]
    [InlineData("--seeds must be from 1 to 1000000", "sim", "paxos", "--seeds", "2000000")]
    [InlineData("--nodes must be from 1 to 64", "sim", "paxos", "--nodes", "65")]
    [InlineData("--liveness-rounds must be from 0 to 100000", "sim", "paxos", "--liveness-rounds", "1000000")]
    [InlineData("--clients must be from 0 to 100", "sim", "kv", "--clients", "1000")]
    [InlineData("--ops must be from 1 to 10000", "sim", "kv", "--ops", "100000")]
    [InlineData("--keys must be from 1 to 1000", "sim", "kv", "--keys", "100000")]
    [InlineData("--max-steps must be from 1 to 1000000000", "check", "x.jsonl", "--max-steps", "10000000000")]
    [InlineData("--ops must be from 1 to 10000000", "kv", "load", "--ops", "100000000000")]
    [InlineData("--duration must be more than 0 and at most 86400 seconds", "kv", "load", "--duration", "86401")]
    [InlineData("--timeout-ms must be from 1 to 3600000", "kv", "get", "a", "--timeout-ms", "2147483647")]
    [InlineData("--interval-ms must be from 1 to 3600000", "watch", "kv", "--interval-ms", "2147483647")]
    public void Run_SizeBeyondItsBound_OneLineWithTheRangeAndExitCode2(string expected, params string[] args)
    {
        var run = ConsoleRun.Of(args);
        run.AssertCleanError(ExitCodes.BadInput);
        Assert.StartsWith($"error: {expected}", run.Error);
    }
}
