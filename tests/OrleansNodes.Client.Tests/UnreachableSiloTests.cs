namespace OrleansNodes.Client.Tests;

/// <summary>
/// Every silo command against a port nobody listens on: one line, exit code 3, no hang, and no
/// waiting out the timeout for a refusal; a gateway that accepts but never answers gets the
/// whole timeout.
/// </summary>
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

    [Fact]
    public void Get_NothingListening_RefusalReportedWellBeforeTheTimeout()
    {
        var gateway = $"127.0.0.1:{OrleansNodes.TestServers.FreePorts.Take(1)[0]}";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var run = ConsoleRun.Of("kv", "get", "x", "--gateway", gateway); // the default 10 s timeout
        clock.Stop();

        run.AssertCleanError(ExitCodes.Unavailable);
        Assert.Equal($"error: cannot reach a silo at {gateway} (the connection was refused: is a silo running there?)", run.Error.TrimEnd());
        // Failing fast takes well under a second; the bound only tells it from waiting out the 10 s.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Get_GatewayAcceptsButNeverAnswers_NotTakenForARefusal()
    {
        // A listening socket that never accepts: the kernel completes the TCP handshake, as for a frozen silo.
        using var frozen = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        frozen.Start();
        var gateway = $"127.0.0.1:{((System.Net.IPEndPoint)frozen.LocalEndpoint).Port}";

        var run = ConsoleRun.Of("kv", "get", "x", "--gateway", gateway, "--timeout-ms", "1000");

        run.AssertCleanError(ExitCodes.Unavailable);
        Assert.Contains("no answer within 1000 ms", run.Error);
        Assert.DoesNotContain("refused", run.Error);
    }
}
