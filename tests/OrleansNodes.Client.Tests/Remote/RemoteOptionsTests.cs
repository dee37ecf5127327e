using OrleansNodes.Client.Remote;

namespace OrleansNodes.Client.Tests.Remote;

public class RemoteOptionsTests
{
    [Fact]
    public void ParseGateways_CommaSeparatedHostsAndAddresses_AllKept()
    {
        var gateways = RemoteOptions.ParseGateways("localhost:30000, 10.0.0.2:30001,[::1]:30002", out var error);
        Assert.Null(error);
        Assert.Equal(new[] { new GatewayAddress("localhost", 30000), new GatewayAddress("10.0.0.2", 30001), new GatewayAddress("::1", 30002) }, gateways!.Value.ToArray());
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("localhost:")]
    [InlineData(":30000")]
    [InlineData("localhost:0")]
    [InlineData("localhost:70000")]
    [InlineData("localhost:30x")]
    [InlineData(",")]
    public void ParseGateways_Malformed_ErrorNamesTheValue(string text)
    {
        Assert.Null(RemoteOptions.ParseGateways(text, out var error));
        Assert.Contains("--gateway", error);
    }

    [Theory]
    [InlineData("kv", "get")]
    [InlineData("kv", "cas", "k", "only-one")]
    [InlineData("kv", "cas", "k", "a", "b", "--expect-absent")]
    [InlineData("kv", "get", "k", "--gateway", "nowhere")]
    [InlineData("kv", "get", "k", "--timeout-ms", "0")]
    [InlineData("cluster", "create", "bad/name")]
    [InlineData("cluster", "create", "x", "--nodes", "0")]
    [InlineData("watch", "kv", "--count", "0")]
    [InlineData("watch", "kv", "--interval-ms", "-5")]
    public void SiloCommand_BadArguments_OneLineUsageAndExitCode2WithoutConnecting(params string[] args)
    {
        var run = ConsoleRun.Of(args);
        run.AssertCleanError(ExitCodes.BadInput);
        Assert.Contains("usage: orleansnodes ", run.Error);
    }
}
