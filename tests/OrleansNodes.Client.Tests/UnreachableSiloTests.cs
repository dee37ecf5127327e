namespace OrleansNodes.Client.Tests;

/// <summary>Every silo command against a port nobody listens on: one line, exit code 3, no hang.</summary>
public sealed class UnreachableSiloTests
{
    [Theory]
    [InlineData("kv", "get", "x")]
    [InlineData("cluster", "list")]
    [InlineData("watch", "kv", "--count", "1")]
    public void SiloCommand_NobodyListening_OneLineAndExitCode3(params string[] args)
    {
        var gateway = $"127.0.0.1:{OrleansNodes.TestServers.FreePorts.Take(1)[0]}";
        var run = ConsoleRun.Of([.. args, "--gateway", gateway, "--timeout-ms", "1000"]);
        run.AssertCleanError(ExitCodes.Unavailable);
        Assert.StartsWith($"error: cannot reach a silo at {gateway} (", run.Error);
    }
}
