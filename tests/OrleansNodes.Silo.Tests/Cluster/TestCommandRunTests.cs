using System.Text.Json;
using OrleansNodes.TestServers;
using static Microsoft.Playwright.Assertions;

namespace OrleansNodes.Silo.Tests.Cluster;

/// <summary><c>orleansnodes test</c> end to end: its own three silos and redis-server, every fault kind, the verdict and the report.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TestCommandRunTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orleansnodes-testrun-").FullName;

    public void Dispose() => TempFolder.TryDelete(_folder);

    [ChromiumRedisFact]
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

        // The report as a person opens it: a file, in a browser, with its two plots drawn.
        await using var chromium = await SystemChromium.LaunchAsync();
        var page = await chromium.OpenAsync(new Uri(report));
        await Expect(page.Locator("#verdict")).ToHaveTextAsync("linearizable; 0 acknowledged write(s) lost");
        foreach (var plot in new[] { "#latency svg", "#throughput svg" })
        {
            await Expect(page.Locator(plot)).ToBeVisibleAsync();
            var box = await page.Locator(plot).BoundingBoxAsync();
            Assert.True(box is { Width: > 500, Height: > 200 }, $"{plot} is drawn {box?.Width}x{box?.Height}");
        }
        // Each operation a point (ScottPlot draws a marker as an ellipse; past 40,000 an outcome's points are thinned).
        var points = await page.Locator("#latency svg ellipse").CountAsync();
        Assert.True(points >= Math.Min(root.GetProperty("acknowledged").GetInt32(), 40_000) / 2, $"{points} points drawn");
        foreach (var kind in kinds) await Expect(page.Locator("#faults tr", new() { HasText = kind })).Not.ToHaveCountAsync(0);
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
