using OrleansNodes.Client.Testing;

namespace OrleansNodes.Client.Tests.Testing;

/// <summary><c>orleansnodes test</c>'s refusals (one line, exit 2, nothing started) and its nemesis plan.</summary>
public sealed class TestCommandTests
{
    [Theory]
    [InlineData("--nemesis explode", "--nemesis: unknown fault 'explode' (known: kill, pause, restart, storage-kill, or none)")]
    [InlineData("--nemesis kill,kill", "--nemesis: 'kill' is given twice")]
    [InlineData("--interval 1", "--interval must be from 2 to 3600 seconds")]
    [InlineData("--silos 0", "--silos must be from 1 to 9")]
    [InlineData("--silos 10", "--silos must be from 1 to 9")]
    [InlineData("--duration 2", "--duration must be from 5 to 3600 seconds")]
    [InlineData("--silos 2 --storage embedded", "--storage embedded runs one silo; use --storage redis for more")]
    [InlineData("--silos 1 --nemesis storage-kill", "storage-kill needs --storage redis (the embedded store is inside the silo)")]
    [InlineData("--gateway 127.0.0.1:1 --nemesis kill", "the nemesis needs silos this command started: with --gateway, --nemesis must be none")]
    [InlineData("--gateway 127.0.0.1:1 --silos 3", "give --silos (a cluster of its own) or --gateway (running silos), not both")]
    [InlineData("--interval 10 --fault-seconds 10", "--fault-seconds must be more than 0 and less than --interval")]
    [InlineData("--storage disk", "'disk'")]
    [InlineData("--rate 0", "--rate must be more than 0 and at most 1000000")]
    public void Test_BadInput_OneLineExitCode2(string arguments, string message)
    {
        var run = ConsoleRun.Of(["test", .. arguments.Split(' ')]);

        run.AssertCleanError(ExitCodes.BadInput);
        Assert.Contains(message, run.Error);
    }

    [Fact]
    public void Test_SiloThatDoesNotExist_OneLineExitCode2BeforeStartingAnything()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-folder", "orleansnodes-silo.dll");

        var run = ConsoleRun.Of("test", "--silo", missing);

        run.AssertCleanError(ExitCodes.BadInput);
        Assert.Equal($"error: --silo {missing}: no such file", run.Error.Trim());
    }

    [Fact]
    public void Plan_FourKindsOverAMinute_CyclesThroughThemEachInItsOwnInterval()
    {
        var kinds = new[] { FaultKind.Kill, FaultKind.Pause, FaultKind.Restart, FaultKind.StorageKill };

        var plan = NemesisPlan.Create(kinds, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60), silos: 3, seed: 7);

        // At 10, 20, ..., 50 s: the last starts an interval before the end.
        Assert.Equal([10, 20, 30, 40, 50], plan.Select(f => f.At.TotalSeconds));
        Assert.Equal([FaultKind.Kill, FaultKind.Pause, FaultKind.Restart, FaultKind.StorageKill, FaultKind.Kill], plan.Select(f => f.Kind));
        Assert.All(plan.Where(f => f.Kind != FaultKind.StorageKill), f => Assert.InRange(f.Silo!.Value, 0, 2));
        Assert.Null(plan.Single(f => f.Kind == FaultKind.StorageKill).Silo);
        // The same seed, the same plan: a run can be repeated.
        Assert.Equal(plan, NemesisPlan.Create(kinds, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60), silos: 3, seed: 7));
    }

    [Fact]
    public void Plan_NoKinds_NoFaults()
    {
        Assert.Empty(NemesisPlan.Create([], TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60), silos: 3, seed: 1));
    }
}
