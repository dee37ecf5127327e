using System.Text.Json;
using OrleansNodes.TestServers;

namespace OrleansNodes.Silo.Tests.Cluster;

/// <summary><c>orleansnodes test</c> end to end: its own three silos and redis-server, every fault kind, the verdict and the report.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TestCommandRunTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orleansnodes-testrun-").FullName;

    public void Dispose() => TempFolder.TryDelete(_folder);

    [RedisFact]
    public async Task Test_ThreeSilosEveryFaultKind_LinearizableNothingLostAndAReportWithPlotsAndFaults()
    {
        var report = Path.Combine(_folder, "report.html");

        // Slow faults (a killed or restarted silo must start again) first and last, so that each
        // kind gets its turn before the last start the load allows, even on a loaded machine.
        var run = await ConsoleProcess.RunAsync(
        [
            "test", "--silos", "3", "--storage", "redis", "--duration", "50", "--interval", "10", "--fault-seconds", "2",
            "--nemesis", "kill,storage-kill,pause,restart", "--clients", "4", "--report", report, "--work", Path.Combine(_folder, "work"), "--json",
        ], TimeSpan.FromMinutes(10));

        Assert.True(run.ExitCode == 0, run.Output);
        using var summary = JsonDocument.Parse(run.Output.Split('\n').Single(line => line.StartsWith('{')));
        var root = summary.RootElement;
        Assert.True(root.GetProperty("passed").GetBoolean());
        Assert.Equal("linearizable", root.GetProperty("verdict").GetString());
        Assert.Equal(0, root.GetProperty("lostWrites").GetInt32());
        Assert.True(root.GetProperty("acknowledged").GetInt32() > 0);
        var kinds = root.GetProperty("faults").EnumerateArray().Select(f => f.GetProperty("kind").GetString()).ToHashSet();
        Assert.Equal(new HashSet<string?> { "kill", "storage-kill", "pause", "restart" }, kinds);

        var html = await File.ReadAllTextAsync(report);
        Assert.Equal(2, html.Split("<svg").Length - 1);
        Assert.Contains("linearizable; 0 acknowledged write(s) lost", html);
        foreach (var kind in kinds) Assert.Contains($"<td>{kind}", html);
        // Every silo process and the redis-server it started ended with it.
        Assert.DoesNotContain(System.Diagnostics.Process.GetProcesses(), p => Started(p, _folder));
    }

    private static bool Started(System.Diagnostics.Process process, string folder)
    {
        try
        {
            return File.ReadAllText($"/proc/{process.Id}/cmdline").Contains(folder, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
