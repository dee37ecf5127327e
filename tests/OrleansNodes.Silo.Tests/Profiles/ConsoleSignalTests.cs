using OrleansNodes.TestServers;

namespace OrleansNodes.Silo.Tests.Profiles;

/// <summary>Ctrl+C reaches the console's commands: they stop cleanly rather than die mid-request.</summary>
public sealed class ConsoleSignalTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Watch_CtrlC_StopsCleanlyWithExitCode0()
    {
        // Without a termination timeout, System.CommandLine left SIGINT to the runtime, and the
        // console died at once (exit by signal) instead of ending its watch.
        using var silo = new SiloProcess([]);
        await silo.StartAsync();
        using var watch = ConsoleProcess.Start(["watch", "kv", "--gateway", silo.Gateway, "--interval-ms", "200"]);
        await watch.WaitForOutputAsync("kv: kv × 3", Generous);

        await watch.InterruptAsync();

        Assert.Equal(0, await watch.WaitForExitAsync(Generous));
        Assert.DoesNotContain("   at ", watch.Output());
    }

    [Fact]
    public async Task Explore_CtrlC_PrintsWhatItCoveredAndExits130()
    {
        // Without a bound it would run for hours: three nodes ticking and crashing.
        using var explore = ConsoleProcess.Start(["explore", "failure-detector", "--faults", "crash", "--ticks", "8", "--depth", "200", "--threads", "1"]);
        await explore.WaitForOutputAsync(" unique/s ", Generous);

        await explore.InterruptAsync();

        Assert.Equal(130, await explore.WaitForExitAsync(Generous));
        Assert.Contains("cut short by cancellation", explore.Output());
        Assert.DoesNotContain("   at ", explore.Output());
    }
}
