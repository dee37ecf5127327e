namespace OrleansNodes.Client.Tests;

public class ExploreCommandTests
{
    [Fact]
    public void Explore_FailureDetectorOnTwoNodesWithACrash_VisitsEveryStateAndPasses()
    {
        var run = ConsoleRun.Of("explore", "failure-detector", "--nodes", "2", "--faults", "crash", "--ticks", "4", "--depth", "40", "--threads", "2");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("a live node suspects a crashed peer", run.Output);
        Assert.Contains("reached", run.Output);
        Assert.Contains("passed: no violation in 24,011 states (every reachable state)", run.Output);
    }

    [Fact]
    public void Explore_PaxosTooShallowForAnAdoptedValue_FailsNamingTheGoal()
    {
        var run = ConsoleRun.Of("explore", "paxos", "--clients", "2", "--depth", "8");

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        var verdict = Assert.Single(run.Output.Split('\n'), l => l.StartsWith("failed", StringComparison.Ordinal));
        Assert.Contains("a value is chosen after another proposer adopted it", verdict);
        Assert.Contains("--depth", verdict);
    }

    [Fact]
    public void Explore_OutputJson_OneObjectWithCountsAndProperties()
    {
        var run = ConsoleRun.Of("explore", "paxos", "--clients", "2", "--depth", "6", "--threads", "1", "-o", "json");

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        var line = Assert.Single(run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = System.Text.Json.JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal("paxos", root.GetProperty("protocol").GetString());
        Assert.Equal("bfs", root.GetProperty("order").GetString());
        Assert.True(root.GetProperty("unique").GetInt64() > 0);
        Assert.True(root.GetProperty("depthBounded").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, root.GetProperty("violation").ValueKind);
        Assert.Contains(root.GetProperty("properties").EnumerateArray(), p => p.GetProperty("name").GetString() == "workload");
    }

    [Fact]
    public void Explore_SameBoundsTwiceOnTwoThreads_CountsTheSameStates()
    {
        static string Unique(ConsoleRun run)
        {
            using var json = System.Text.Json.JsonDocument.Parse(run.Output.Trim());
            return json.RootElement.GetProperty("unique").GetInt64() + "/" + json.RootElement.GetProperty("generated").GetInt64();
        }

        var first = ConsoleRun.Of("explore", "paxos", "--clients", "2", "--depth", "9", "--threads", "2", "-o", "json");
        var second = ConsoleRun.Of("explore", "paxos", "--clients", "2", "--depth", "9", "--threads", "2", "-o", "json");

        Assert.Equal(Unique(first), Unique(second));
    }

    [Fact]
    public void Explore_PaxosWithADelayBudget_PassesAndSaysTheSearchWasNotExhaustive()
    {
        var run = ConsoleRun.Of("explore", "paxos", "--clients", "2", "--delays", "2", "--depth", "60", "--threads", "2");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("at most 2 delays", run.Output);
        Assert.Contains("within delays", run.Output);
        var verdict = Assert.Single(run.Output.Split('\n'), l => l.StartsWith("passed", StringComparison.Ordinal));
        Assert.EndsWith(" states on paths at most 2 delays from the default schedule (not every interleaving)", verdict.TrimEnd());
    }

    [Fact]
    public void Explore_PaxosWithQuietFaults_SaysFaultsAreFreeInTheBoundsAndTheVerdict()
    {
        var run = ConsoleRun.Of("explore", "paxos", "--clients", "2", "--crashes", "1", "--delays", "2", "--quiet-faults", "--depth", "60", "--threads", "2");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("at most 2 delays (faults at quiet points free)", run.Output);
        var verdict = Assert.Single(run.Output.Split('\n'), l => l.StartsWith("passed", StringComparison.Ordinal));
        Assert.EndsWith(" states on paths at most 2 delays from the default schedule, faults at quiet points free (not every interleaving)", verdict.TrimEnd());

        var json = ConsoleRun.Of("explore", "paxos", "--clients", "2", "--crashes", "1", "--delays", "2", "--quiet-faults", "--depth", "60", "--threads", "2", "-o", "json");
        Assert.Contains("\"quietFaults\":true", json.Output.Replace(" ", "", StringComparison.Ordinal));
    }

    [Fact]
    public void Explore_PaxosWithAClockLead_SaysItInTheBounds()
    {
        var run = ConsoleRun.Of("explore", "paxos", "--clients", "2", "--max-lead", "1", "--delays", "2", "--depth", "60", "--threads", "2", "-o", "json");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("\"maxLead\":1", run.Output.Replace(" ", "", StringComparison.Ordinal));
    }

    [Fact]
    public void Explore_PaxosWithOneDelay_TooFewToAdoptAValue_SaysDelaysIsABound()
    {
        var run = ConsoleRun.Of("explore", "paxos", "--clients", "2", "--delays", "1", "--depth", "60", "--threads", "2");

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        var verdict = Assert.Single(run.Output.Split('\n'), l => l.StartsWith("failed", StringComparison.Ordinal));
        Assert.Contains("a value is chosen after another proposer adopted it", verdict);
        Assert.Contains("--delays", verdict);
    }

    [Theory]
    [InlineData(new[] { "explore", "raft" }, "unknown protocol 'raft'")]
    [InlineData(new[] { "explore", "kv", "--delays", "-1" }, "--delays")]
    [InlineData(new[] { "explore", "kv", "--max-lead", "0" }, "--max-lead")]
    [InlineData(new[] { "explore", "failure-detector", "--symmetry", "--delays", "2" }, "--symmetry and --delays")]
    [InlineData(new[] { "explore", "kv", "--quiet-faults" }, "--quiet-faults needs --delays")]
    [InlineData(new[] { "explore", "paxos", "--bfs", "--dfs" }, "choose one search order")]
    [InlineData(new[] { "explore", "paxos", "--faults", "reorder" }, "unknown fault 'reorder'")]
    [InlineData(new[] { "explore", "paxos", "--symmetry" }, "does not declare its nodes interchangeable")]
    [InlineData(new[] { "explore", "paxos", "--nodes", "0" }, "--nodes")]
    [InlineData(new[] { "explore", "paxos", "--html", "/no/such/folder/x.html" }, "its folder does not exist")]
    public void Explore_BadInput_OneLineAndExitTwo(string[] args, string expected)
    {
        var run = ConsoleRun.Of(args);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(expected, run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }
}
