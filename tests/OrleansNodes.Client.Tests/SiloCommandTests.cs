using System.Text.Json;

namespace OrleansNodes.Client.Tests;

/// <summary>
/// The console against one real silo (a child process, <see cref="SiloProcess"/>), as an
/// operator would use it: the default <c>kv</c> cluster, new clusters, status and watch.
/// Each test uses its own keys, so their order does not matter.
/// </summary>
public sealed class SiloCommandTests(SiloProcess silo) : IClassFixture<SiloProcess>
{
    [Fact]
    public void ClusterList_FreshSilo_ShowsTheDefaultKvCluster()
    {
        var run = silo.Run("cluster", "list");
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Matches(@"│ kv\s+│ kv\s+│\s+3 │", run.Output);
    }

    [Fact]
    public void Kv_PutAppendDelete_EachGetSeesTheLastWrite()
    {
        Assert.Equal("ok", Ok(silo.Run("kv", "put", "a", "1")));
        Assert.Equal("1", Ok(silo.Run("kv", "get", "a")));
        Assert.Equal("ok", Ok(silo.Run("kv", "append", "a", "2")));
        Assert.Equal("12", Ok(silo.Run("kv", "get", "a")));
        Assert.Equal("ok", Ok(silo.Run("kv", "delete", "a")));

        var missing = silo.Run("kv", "get", "a");
        missing.AssertCleanError(ExitCodes.Failed);
        Assert.Contains("key 'a' is missing", missing.Error);
    }

    [Fact]
    public void KvShell_LinesOverOneConnection_EachAnsweredInOrderAndTheOneShotSeesTheWrites()
    {
        var run = silo.RunWithInput("""
            put sh1 "a b"
            append sh1 " c"
            # a comment, then a blank line

            get sh1
            cas sh2 first --expect-absent
            cas sh2 first second
            delete sh1
            """, "kv", "shell");

        Assert.Equal(new[] { "ok", "ok", "a b c", "ok", "ok", "ok" }, Lines(run));
        Assert.Equal("", run.Error);
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal("second", Ok(silo.Run("kv", "get", "sh2")));
        Assert.Equal(ExitCodes.Failed, silo.Run("kv", "get", "sh1").ExitCode);
    }

    [Fact]
    public void KvShell_BadAndFailingLines_OneErrorLineEachTheRestStillRunAndTheFirstCodeIsTheExit()
    {
        var run = silo.RunWithInput("""
            get sh3
            frob x
            put sh3 "open
            put sh3 v
            get sh3
            exit
            put sh3 never
            """, "kv", "shell");

        Assert.Equal(new[] { "ok", "v" }, Lines(run));
        Assert.Equal(
            new[] { "error: line 1: key 'sh3' is missing", "error: line 2: unknown command 'frob' (commands: get, put, delete, append, cas, exit)", "error: line 3: a quote is not closed" },
            run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Equal("v", Ok(silo.Run("kv", "get", "sh3")));
    }

    [Fact]
    public void KvShell_OutputJson_OneObjectPerAnswer()
    {
        var run = silo.RunWithInput("put sh4 1\nget sh4\nget sh5\n", "kv", "shell", "-o", "json");

        var answers = Lines(run).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(3, answers.Count);
        Assert.True(answers[0].GetProperty("ok").GetBoolean());
        Assert.Equal("1", answers[1].GetProperty("value").GetString());
        Assert.False(answers[2].GetProperty("found").GetBoolean());
        Assert.Equal(ExitCodes.Failed, run.ExitCode);
    }

    [Fact]
    public void KvShell_UnknownCluster_ExitsTwoBeforeReadingALine()
    {
        var run = silo.RunWithInput("put sh6 1\n", "kv", "shell", "--cluster", "nope");
        run.AssertCleanError(ExitCodes.BadInput);
        Assert.Contains("no cluster named 'nope'", run.Error);
        Assert.Equal(ExitCodes.Failed, silo.Run("kv", "get", "sh6").ExitCode);
    }

    [Fact]
    public void KvCas_MatchingThenStaleExpectation_AppliesOnceThenReportsTheCurrentValue()
    {
        Assert.Equal("ok", Ok(silo.Run("kv", "cas", "c", "v1", "--expect-absent")));
        Assert.Equal("ok", Ok(silo.Run("kv", "cas", "c", "v1", "v2")));

        var stale = silo.Run("kv", "cas", "c", "v1", "v3");
        Assert.Equal(ExitCodes.Failed, stale.ExitCode);
        Assert.Equal("cas failed: the current value is v2", stale.Output.Trim());

        var notAbsent = silo.Run("kv", "cas", "c", "v4", "--expect-absent");
        Assert.Equal(ExitCodes.Failed, notAbsent.ExitCode);
        Assert.Equal("v2", Ok(silo.Run("kv", "get", "c")));
    }

    [Fact]
    public void ClusterStatus_Kv_ShowsThreeNodesAndOneLeader()
    {
        Assert.Equal("ok", Ok(silo.Run("kv", "put", "s", "1")));

        // A leader answered the put; ask until a status shows it (an election under heavy load
        // may briefly leave none), bounded by attempts rather than by time.
        ConsoleRun run = silo.Run("cluster", "status", "kv");
        for (var attempt = 0; attempt < 40 && !run.Output.Contains("│ Leader", StringComparison.Ordinal); attempt++)
        {
            Thread.Sleep(250);
            run = silo.Run("cluster", "status", "kv");
        }
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        foreach (var node in new[] { "n0", "n1", "n2" }) Assert.Matches($"│ {node} ", run.Output);
        Assert.Contains("│ Leader", run.Output);
        Assert.Contains("kv: kv × 3", run.Output);
    }

    [Fact]
    public void Watch_CountTwo_PrintsTwoTablesAndStops()
    {
        var run = silo.Run("watch", "kv", "--count", "2", "--interval-ms", "100");
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("refresh 1", run.Output);
        Assert.Contains("refresh 2", run.Output);
        Assert.DoesNotContain("refresh 3", run.Output);
        Assert.Equal(2, run.Output.Split("kv: kv × 3").Length - 1);
    }

    [Fact]
    public void ClusterList_OutputJson_TheKvClusterWithItsNodeCount()
    {
        var run = silo.Run("cluster", "list", "-o", "json");
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        using var json = JsonDocument.Parse(Assert.Single(Lines(run)));
        var kv = json.RootElement.GetProperty("clusters").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "kv");
        Assert.Equal("kv", kv.GetProperty("protocol").GetString());
        Assert.Equal(3, kv.GetProperty("nodeCount").GetInt32());
        Assert.True(kv.GetProperty("seed").TryGetUInt64(out _));
        Assert.False(string.IsNullOrEmpty(kv.GetProperty("settings").GetString()));
    }

    [Fact]
    public async Task ClusterStatus_OutputJson_TheShapeOfTheSilosStatusEndpoint()
    {
        var run = silo.Run("cluster", "status", "kv", "--output", "json");
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        using var console = JsonDocument.Parse(Assert.Single(Lines(run)));
        Assert.Equal("kv", console.RootElement.GetProperty("name").GetString());
        Assert.Equal(["n0", "n1", "n2"], console.RootElement.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("node").GetString()));

        // The same field names, nested ones included, as GET /status/kv: a script can read either.
        using var http = new HttpClient();
        using var endpoint = JsonDocument.Parse(await http.GetStringAsync(new Uri(silo.Url, "status/kv")));
        Assert.Equal(Shape(endpoint.RootElement), Shape(console.RootElement));
    }

    [Fact]
    public void ClusterStatus_OutputJson_TheProtocolsViewOneLeaderTheOthersFollowingIt()
    {
        Assert.Equal("ok", Ok(silo.Run("kv", "put", "v", "1")));

        // As above: ask until a status shows the leader, bounded by attempts.
        JsonElement[] nodes = [];
        for (var attempt = 0; attempt < 40; attempt++)
        {
            using var json = JsonDocument.Parse(Assert.Single(Lines(silo.Run("cluster", "status", "kv", "-o", "json"))));
            nodes = [.. json.RootElement.GetProperty("nodes").EnumerateArray().Select(n => n.Clone())];
            if (nodes.Count(n => n.GetProperty("leading").ValueKind == JsonValueKind.True) == 1) break;
            Thread.Sleep(250);
        }

        var leader = Assert.Single(nodes, n => n.GetProperty("leading").ValueKind == JsonValueKind.True);
        Assert.Equal("leader", leader.GetProperty("role").GetString());
        var name = leader.GetProperty("node").GetString();
        Assert.Equal(name, leader.GetProperty("leader").GetString());
        Assert.True(leader.GetProperty("applied").GetInt64() >= 1, "the put was applied on the leader");
        Assert.True(leader.GetProperty("commit").GetInt64() >= leader.GetProperty("applied").GetInt64());
        Assert.False(string.IsNullOrEmpty(leader.GetProperty("ballot").GetString()));
        Assert.True(leader.GetProperty("storage").GetProperty("flushSeconds").GetDouble() >= 0);
        foreach (var other in nodes.Where(n => n.GetProperty("node").GetString() != name))
            Assert.Equal(JsonValueKind.False, other.GetProperty("leading").ValueKind);
    }

    [Fact]
    public void KvGet_OutputJson_TheValueOrNotFoundWithExitCode1()
    {
        Assert.Equal("ok", Ok(silo.Run("kv", "put", "j", "1")));

        var found = silo.Run("kv", "get", "j", "-o", "json");
        Assert.Equal(ExitCodes.Ok, found.ExitCode);
        Assert.Equal("""{"op":"get","key":"j","found":true,"value":"1"}""", found.Output.Trim());

        // Missing is an answer, not an error: JSON on standard output, exit 1 as in text.
        var missing = silo.Run("kv", "get", "never-written", "-o", "json");
        Assert.Equal(ExitCodes.Failed, missing.ExitCode);
        Assert.Equal("", missing.Error);
        Assert.Equal("""{"op":"get","key":"never-written","found":false,"value":null}""", missing.Output.Trim());
    }

    [Fact]
    public void Watch_OutputJson_OneObjectPerRefreshOnItsOwnLine()
    {
        var run = silo.Run("watch", "kv", "--count", "2", "--interval-ms", "100", "-o", "json");
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        var lines = Lines(run);
        Assert.Equal(2, lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            using var json = JsonDocument.Parse(lines[i]);
            Assert.Equal(i + 1, json.RootElement.GetProperty("refresh").GetInt32());
            Assert.True(json.RootElement.GetProperty("time").TryGetDateTimeOffset(out _));
            Assert.Equal("kv", json.RootElement.GetProperty("cluster").GetProperty("name").GetString());
            Assert.Equal(3, json.RootElement.GetProperty("cluster").GetProperty("nodes").GetArrayLength());
        }
    }

    [Theory]
    [InlineData("kv", "get", "a", "--cluster", "nope")]
    [InlineData("cluster", "status", "nope")]
    [InlineData("watch", "nope", "--count", "1")]
    public void UnknownCluster_OneLineNamingTheClustersAndExitCode2(params string[] args)
    {
        var run = silo.Run(args);
        run.AssertCleanError(ExitCodes.BadInput);
        Assert.Contains("no cluster named 'nope'", run.Error);
        Assert.Contains("kv", run.Error);
    }

    [Fact]
    public void ClusterCreate_NewName_ListShowsBothAndTheNewClusterServes()
    {
        var created = silo.Run("cluster", "create", "other", "--protocol", "kv", "--nodes", "3", "--seed", "7");
        Assert.Equal(ExitCodes.Ok, created.ExitCode);
        Assert.Contains("created other: kv × 3, seed 7", created.Output);

        // The same spec again is a no-op; a different one for the same name is refused.
        Assert.Equal(ExitCodes.Ok, silo.Run("cluster", "create", "other", "--protocol", "kv", "--nodes", "3", "--seed", "7").ExitCode);
        var conflicting = silo.Run("cluster", "create", "other", "--protocol", "kv", "--nodes", "5");
        conflicting.AssertCleanError(ExitCodes.BadInput);
        Assert.Contains("already exists", conflicting.Error);

        var list = silo.Run("cluster", "list");
        Assert.Matches(@"│ kv\s+│", list.Output);
        Assert.Matches(@"│ other\s+│ kv\s+│\s+3 │\s+7 │", list.Output);

        Assert.Equal("ok", Ok(silo.Run("kv", "put", "o", "x", "--cluster", "other")));
        Assert.Equal("x", Ok(silo.Run("kv", "get", "o", "--cluster", "other")));
    }

    [Fact]
    public void ClusterCreate_UnknownProtocol_OneLineListingTheRegisteredOnes()
    {
        var run = silo.Run("cluster", "create", "bad", "--protocol", "raft");
        run.AssertCleanError(ExitCodes.BadInput);
        Assert.Contains("unknown protocol 'raft'", run.Error);
        Assert.DoesNotContain("Parameter", run.Error);
    }

    [Fact]
    public void Kv_OnAPaxosCluster_RefusedWithExitCode2()
    {
        Assert.Equal(ExitCodes.Ok, silo.Run("cluster", "create", "decree", "--protocol", "paxos").ExitCode);
        var run = silo.Run("kv", "get", "a", "--cluster", "decree");
        run.AssertCleanError(ExitCodes.BadInput);
        Assert.Contains("runs paxos, not kv", run.Error);
    }

    [Fact]
    public async Task Dashboard_Url_AnswersOk()
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(silo.Url, "dashboard/"));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    private static List<string> Lines(ConsoleRun run) => [.. run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>Every property path of <paramref name="element"/> (arrays by their first item): its shape without the values.</summary>
    private static SortedSet<string> Shape(JsonElement element, string prefix = "")
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                paths.Add(prefix + property.Name);
                paths.UnionWith(Shape(property.Value, prefix + property.Name + "."));
            }
        }
        else if (element.ValueKind == JsonValueKind.Array && element.GetArrayLength() > 0)
        {
            paths.UnionWith(Shape(element[0], prefix));
        }
        return paths;
    }

    private static string Ok(ConsoleRun run)
    {
        Assert.True(run.ExitCode == ExitCodes.Ok, $"exit {run.ExitCode}: {run.Error}");
        Assert.Equal("", run.Error);
        return run.Output.Trim();
    }
}
