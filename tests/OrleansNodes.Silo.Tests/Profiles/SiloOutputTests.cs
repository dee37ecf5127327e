using OrleansNodes.TestServers;

namespace OrleansNodes.Silo.Tests.Profiles;

/// <summary>What the silo prints for an operator: its version, where it listens and stores, and a quiet stop.</summary>
public sealed class SiloOutputTests
{
    [Fact]
    public async Task Version_PrintsTheSiloAndItsVersion()
    {
        using var silo = ChildProcess.StartDotnet(Repository.Built("silo", "orleansnodes-silo"), ["--version"]);

        Assert.Equal(0, await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Matches(@"^orleansnodes-silo \d+\.\d+\.\d+", silo.Output().Trim());
    }

    [Fact]
    public async Task StartThenSigtermUnderLoad_SaysWhereItListensAndStoresThenStopsWithoutStackTraces()
    {
        using var silo = new SiloProcess([]);
        await silo.StartAsync();
        using var load = ConsoleProcess.Start(["kv", "load", "--gateway", silo.Gateway, "--duration", "30", "--clients", "8"]);
        await load.WaitForOutputAsync("kv load: first operation acknowledged", TimeSpan.FromSeconds(90));

        var exitCode = await silo.StopAsync();

        var output = silo.Process.Output();
        Assert.True(exitCode == 0, $"the silo's exit code was {exitCode?.ToString() ?? "none (still running after 30 s)"}:\n{silo.Process.Tail()}");
        Assert.Contains($"gateway port {silo.GatewayPort}", output);
        Assert.Contains(Path.Combine(silo.DataPath, "orleansnodes.db"), output);
        // Orleans' watchdog measured its first check from the machine's boot and called the uptime a stall.
        Assert.DoesNotContain("Participant check thread has not completed", output);
        // Requests still arriving while it stops are refused and retried elsewhere; that is no failure to log.
        Assert.False(output.Contains("   at ", StringComparison.Ordinal) || output.Contains("fail: ", StringComparison.Ordinal), output);
    }
}
