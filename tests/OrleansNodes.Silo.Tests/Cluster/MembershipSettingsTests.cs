using OrleansNodes.TestServers;

namespace OrleansNodes.Silo.Tests.Cluster;

/// <summary>The silo's <c>OrleansNodes:Membership</c> settings, as an operator passes them.</summary>
public sealed class MembershipSettingsTests
{
    [Fact]
    public async Task Silo_ProbeTimeoutOutOfRange_RefusesToStartWithOneLine()
    {
        using var silo = new SiloProcess(["--OrleansNodes:Membership:ProbeTimeoutMs", "5"]);
        var process = silo.StartDetached();
        Assert.Equal(2, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("error: Membership:ProbeTimeoutMs 5 is outside 100..600000", process.Output());
    }
}
