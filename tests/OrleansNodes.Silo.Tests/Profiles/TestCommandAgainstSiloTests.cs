using System.Text.Json;
using OrleansNodes.TestServers;

namespace OrleansNodes.Silo.Tests.Profiles;

/// <summary><c>orleansnodes test --gateway</c>: the load, check and report against a silo it did not start, with no nemesis.</summary>
public sealed class TestCommandAgainstSiloTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orleansnodes-testgw-").FullName;

    public void Dispose() => TempFolder.TryDelete(_folder);

    [Fact]
    public async Task Test_AgainstARunningSilo_LinearizableAndTheSiloStillRuns()
    {
        using var silo = new SiloProcess([]);
        await silo.StartAsync();
        var report = Path.Combine(_folder, "report.html");

        var run = await ConsoleProcess.RunAsync(["test", "--gateway", silo.Gateway, "--duration", "5", "--clients", "4", "--report", report, "--json"], TimeSpan.FromMinutes(3));

        Assert.True(run.ExitCode == 0, run.Output);
        using var summary = JsonDocument.Parse(run.Output.Split('\n').Single(line => line.StartsWith('{')));
        Assert.Equal("linearizable", summary.RootElement.GetProperty("verdict").GetString());
        Assert.Empty(summary.RootElement.GetProperty("faults").EnumerateArray());
        Assert.Contains("running silos at " + silo.Gateway, await File.ReadAllTextAsync(report));
        // It only loaded the silo: the silo is still there.
        Assert.True(silo.IsRunning);
    }
}
