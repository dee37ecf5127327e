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
}
