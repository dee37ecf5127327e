using OrleansNodes.Simulation;

namespace OrleansNodes.Client.Tests;

public class SimCommandTests
{
    [Fact]
    public void Sim_PaxosWithAllFaults_PassesAndPrintsSummary()
    {
        var run = ConsoleRun.Of("sim", "paxos", "--seeds", "200", "--nodes", "5", "--steps", "1000", "--faults", "all");
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("200/200", run.Output);
        Assert.Contains("a value is chosen", run.Output);
        Assert.Contains("passed", run.Output);
    }

    [Fact]
    public void Sim_PaxosSwarm_DrawsAConfigurationPerRunAndPrintsTheirCounts()
    {
        var run = ConsoleRun.Of("sim", "paxos", "--seeds", "60", "--steps", "300", "--faults", "all", "--swarm");
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("swarm of 3..5 nodes", run.Output);
        var coverage = Assert.Single(run.Output.Split('\n'), l => l.StartsWith("swarm configurations: ", StringComparison.Ordinal));
        Assert.Contains("4 nodes in ", coverage);
        Assert.Contains("Crash in ", coverage);
    }

    [Fact]
    public void Sim_TooFewSeedsToReachAGoal_FailsNamingTheGoalAndHintingAtMoreSeeds()
    {
        var run = ConsoleRun.Of("sim", "paxos", "--seeds", "3", "--steps", "100", "--faults", "none");
        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        // Not a bare "failed" under a summary of 0 violations: the verdict's own line says why and what to try.
        var verdict = Assert.Single(run.Output.Split('\n'), l => l.StartsWith("failed", StringComparison.Ordinal));
        Assert.Matches(@"^failed: goal '[^']+' was never reached in 3 runs \(seeds 0\.\.2\): it may need more --seeds \(the default is 100\)", verdict);
        Assert.Contains("0 (never reached)", run.Output);
    }

    [Fact]
    public void Sim_OutputJson_OneObjectWithCountsGoalsAndWhyItFailed()
    {
        var run = ConsoleRun.Of("sim", "paxos", "--seeds", "3", "--steps", "100", "--faults", "none", "-o", "json");
        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Equal("", run.Error);
        var line = Assert.Single(run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = System.Text.Json.JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal("paxos", root.GetProperty("protocol").GetString());
        Assert.False(root.GetProperty("passed").GetBoolean());
        Assert.Equal(3, root.GetProperty("runs").GetInt32());
        Assert.Equal(100, root.GetProperty("stepsPerRun").GetInt32());
        Assert.Equal("none", root.GetProperty("faults").GetString());
        Assert.Equal(0, root.GetProperty("violations").GetInt32());
        Assert.True(root.GetProperty("steps").GetInt64() > 0);
        Assert.Equal(root.GetProperty("goals").GetArrayLength(), root.GetProperty("goals").EnumerateArray().Count(g => g.GetProperty("runsReached").GetInt32() >= 0));
        var unreached = root.GetProperty("goalsNotReached").EnumerateArray().Select(g => g.GetString()).ToList();
        Assert.NotEmpty(unreached);
        Assert.Contains(unreached[0]!, root.GetProperty("failure").GetString());
        Assert.Contains("--seeds", root.GetProperty("hint").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, root.GetProperty("violation").ValueKind);
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

    [Fact]
    public void Sim_KeyValueWithClients_PassesAndSavesACheckableHistory()
    {
        var history = Path.Combine(Path.GetTempPath(), $"kv-history-{Guid.NewGuid():N}.jsonl");
        try
        {
            var run = ConsoleRun.Of("sim", "kv", "--seeds", "100", "--clients", "3", "--faults", "all", "--history", history);
            Assert.Equal(ExitCodes.Ok, run.ExitCode);
            Assert.Contains("saved to", run.Output);

            var check = ConsoleRun.Of("check", history);
            Assert.Equal(ExitCodes.Ok, check.ExitCode);
            Assert.Contains("linearizable", check.Output);
        }
        finally
        {
            File.Delete(history);
        }
    }

    [Fact]
    public void Sim_ClientsForAProtocolWithoutClients_OneLineErrorAndExitCode2()
    {
        var run = ConsoleRun.Of("sim", "paxos", "--clients", "2");
        run.AssertCleanError(ExitCodes.BadInput);
        Assert.Contains("no simulated clients", run.Error);
    }

    [Fact]
    public void Sim_HtmlOnAFailingSuite_WritesTheCounterexamplePageAndItsReplayWritesOneToo()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"sim-html-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            // One liveness round after healing is too few for paxos: a violation, and its page.
            var page = Path.Combine(folder, "paxos.html");
            var run = ConsoleRun.Of("sim", "paxos", "--seeds", "20", "--steps", "200", "--liveness-rounds", "1", "--schedule-dir", folder, "--html", page);
            Assert.Equal(ExitCodes.Failed, run.ExitCode);
            Assert.Contains($"written to {page}", run.Output);
            var html = File.ReadAllText(page);
            Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
            Assert.Contains("every up proposer learns a value", html);

            var schedule = Assert.Single(Directory.GetFiles(folder, "*.schedule.json"));
            var replayed = Path.Combine(folder, "replayed.html");
            var replay = ConsoleRun.Of("sim", "--replay", schedule, "--html", replayed);
            Assert.Equal(ExitCodes.Failed, replay.ExitCode);
            Assert.Contains($"written to {replayed}", replay.Output);
            // The same schedule, replayed: the same page.
            Assert.Equal(html, File.ReadAllText(replayed));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Sim_HtmlOnAPassingSuite_SaysNothingWasWritten()
    {
        var page = Path.Combine(Path.GetTempPath(), $"sim-html-{Environment.ProcessId}-{Guid.NewGuid():N}.html");
        var run = ConsoleRun.Of("sim", "failure-detector", "--seeds", "3", "--steps", "100", "--html", page);
        Assert.Contains($"nothing written to {page}", run.Output);
        Assert.False(File.Exists(page));
    }

    [Theory]
    [InlineData("sim", "paxos", "--html", "/nonexistent/folder/page.html")]
    [InlineData("sim", "--replay", "x.json", "--html", "/nonexistent/folder/page.html")]
    [InlineData("sim", "paxos", "--html", "/")]
    public void Sim_HtmlPathThatCannotBeWritten_OneLineErrorAndExitCode2BeforeRunning(params string[] args)
    {
        var run = ConsoleRun.Of(args);
        run.AssertCleanError(ExitCodes.BadInput);
        Assert.StartsWith("error: --html ", run.Error);
        Assert.Equal("", run.Output);
    }

    [Theory]
    [InlineData("sim", "raft")]
    [InlineData("sim", "kv", "--clients", "-1")]
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
    public void Replay_KeyValueCounterexample_RebuildsTheRecordedClientsAndFailsTheSameWay()
    {
        // One liveness round is too short for the clients to finish, so the run fails; its replay
        // is the same run only if the clients' requests are made again (before schedules recorded
        // the workload, the console replayed kv without clients and printed "passed").
        var directory = Directory.CreateTempSubdirectory("on-sim-kv-").FullName;
        try
        {
            var run = ConsoleRun.Of("sim", "kv", "--seeds", "1", "--steps", "200", "--liveness-rounds", "1", "--schedule-dir", directory, "--history", Path.Combine(directory, "h.jsonl"));
            Assert.Equal(ExitCodes.Failed, run.ExitCode);
            var path = Assert.Single(Directory.GetFiles(directory, "*.schedule.json"));
            var schedule = Schedule.Load(path);
            // The clients as shrinking left them (it tries fewer clients and operations first).
            Assert.Equal("kv-clients", schedule.Workload?.Kind);
            Assert.InRange(schedule.Workload!.Int("clients", 0), 1, 3);

            // The replay command is one line however wide the console, and names the file.
            var hint = Assert.Single(run.Output.Split('\n'), l => l.StartsWith("replay: ", StringComparison.Ordinal));
            Assert.EndsWith($" sim --replay \"{path}\"", hint.TrimEnd());

            var replay = ConsoleRun.Of("sim", "--replay", path);
            Assert.Equal(ExitCodes.Failed, replay.ExitCode);
            Assert.Contains($"property '{schedule.Property}' violated", replay.Output);
            Assert.DoesNotContain("did not apply", replay.Output + replay.Error);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
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
    public void Replay_ScheduleRecordedWithOtherSettings_OneLineErrorAndExitCode2()
    {
        var path = Path.Combine(Path.GetTempPath(), $"schedule-settings-{Environment.ProcessId}-{Guid.NewGuid():N}.json");
        new Schedule { Protocol = "paxos", Seed = 1, Options = SimulationOptions.Default, Decisions = [], Settings = "PaxosSettings { Something = Else }" }.Save(path);
        try
        {
            var run = ConsoleRun.Of("sim", "--replay", path);
            run.AssertCleanError(ExitCodes.BadInput);
            Assert.Contains("recorded with settings", run.Error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Replay_DecisionsThatDoNotFit_SaysSoAndDoesNotPass()
    {
        // Node 7 of a 3-node cluster, and a message nobody sent: what a schedule of another
        // cluster or protocol looks like to this one.
        var path = SaveSchedule("paxos", [Decision.Parse("tick n0"), Decision.Parse("tick n7"), Decision.Parse("deliver n1->n0 #9")]);
        try
        {
            var run = ConsoleRun.Of("sim", "--replay", path);
            run.AssertCleanError(ExitCodes.BadInput);
            Assert.Contains("2 of 3 decisions did not apply (first: decision 1 'tick n7')", run.Error);
            Assert.DoesNotContain("passed", run.Output);
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
