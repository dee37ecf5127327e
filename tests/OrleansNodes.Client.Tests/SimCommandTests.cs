using OrleansNodes.Simulation;

namespace OrleansNodes.Client.Tests;

public class SimCommandTests
{
    [Fact]
    public void Sim_PaxosWithAllFaults_PassesAndPrintsSummary()
    {
        var run = ConsoleRun.Of("sim", "paxos", "--seeds", "20", "--nodes", "5", "--steps", "300", "--faults", "all");
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("20/20", run.Output);
        Assert.Contains("a value is chosen", run.Output);
        Assert.Contains("passed", run.Output);
    }

    [Fact]
    public void Sim_FailureDetector_KeepsCrashedNodesDownAndPasses()
    {
        var run = ConsoleRun.Of("sim", "failure-detector", "--seeds", "10", "--steps", "300", "--faults", "crash,reorder");
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("failure-detector", run.Output);
    }

    [Fact]
    public void Sim_SameArguments_SameSummaryCounts()
    {
        string[] args = ["sim", "paxos", "--seeds", "5", "--steps", "200", "--first-seed", "77"];
        var first = ConsoleRun.Of(args);
        var second = ConsoleRun.Of(args);
        Assert.Equal(Counts(first.Output), Counts(second.Output));
    }

    [Theory]
    [InlineData("sim", "raft")]
    [InlineData("sim", "paxos", "--faults", "drop,meteor")]
    [InlineData("sim", "paxos", "--seeds", "0")]
    [InlineData("sim", "paxos", "--nodes", "many")]
    [InlineData("sim", "paxos", "--order", "sideways")]
    [InlineData("sim", "paxos", "--bogus-flag")]
    [InlineData("sim")]
    [InlineData("sim", "paxos", "--replay", "x.json")]
    public void Sim_BadInput_OneLineErrorAndExitCode2(params string[] args) =>
        ConsoleRun.Of(args).AssertCleanError(ExitCodes.BadInput);

    [Fact]
    public void Sim_UnknownProtocol_NamesTheKnownOnes()
    {
        var run = ConsoleRun.Of("sim", "raft");
        Assert.Contains("paxos", run.Error);
        Assert.Contains("kv", run.Error);
    }

    [Fact]
    public void Replay_CorruptFile_OneLineErrorAndExitCode2()
    {
        var path = Path.Combine(Path.GetTempPath(), $"corrupt-{Environment.ProcessId}.json");
        File.WriteAllText(path, "{ \"format\": ");
        try
        {
            ConsoleRun.Of("sim", "--replay", path).AssertCleanError(ExitCodes.BadInput);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Replay_ScheduleOfUnknownProtocol_OneLineErrorAndExitCode2()
    {
        var path = SaveSchedule("raft", []);
        try
        {
            var run = ConsoleRun.Of("sim", "--replay", path);
            run.AssertCleanError(ExitCodes.BadInput);
            Assert.Contains("raft", run.Error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Replay_EmptyPaxosSchedule_ReplaysAndPasses()
    {
        var path = SaveSchedule("paxos", []);
        try
        {
            var run = ConsoleRun.Of("sim", "--replay", path);
            Assert.Equal(ExitCodes.Ok, run.ExitCode);
            Assert.Contains("passed", run.Output);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Replay_MissingFile_OneLineError()
    {
        var run = ConsoleRun.Of("sim", "--replay", "/nonexistent/schedule.json");
        Assert.NotEqual(ExitCodes.Ok, run.ExitCode);
        Assert.StartsWith("error: ", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }

    private static string SaveSchedule(string protocol, Decision[] decisions)
    {
        var path = Path.Combine(Path.GetTempPath(), $"schedule-{protocol}-{Environment.ProcessId}-{Guid.NewGuid():N}.json");
        new Schedule { Protocol = protocol, Seed = 1, Options = SimulationOptions.Default, Decisions = [.. decisions] }.Save(path);
        return path;
    }

    private static string Counts(string output) =>
        string.Join("|", output.Split('\n').Where(l => l.Contains("paxos") && l.Contains('│')).Select(l =>
        {
            var cells = l.Split('│');
            return string.Join(" ", cells[1..6].Append(cells[7])); // everything but steps/s, which is wall-clock
        }));
}
