namespace OrleansNodes.Simulation.Tests;

public class ScheduleTests
{
    private static Schedule Sample() => new()
    {
        Protocol = "relay",
        Seed = 42,
        Options = SimulationOptions.Default with { Nodes = 5, Faults = FaultKinds.Drop | FaultKinds.Crash, MaxCrashedNodes = 2 },
        Property = "received in order",
        Settings = "Unit { }",
        Decisions = [Decision.Parse("tick n0"), Decision.Parse("flush n0"), Decision.Round, Decision.Parse("deliver n0->n1 #1")],
    };

    [Fact]
    public void Parse_SavedJson_RoundTrips()
    {
        var schedule = Sample();

        var parsed = Schedule.Parse(schedule.ToJson());

        Assert.Equal(schedule.Protocol, parsed.Protocol);
        Assert.Equal(schedule.Seed, parsed.Seed);
        Assert.Equal(schedule.Options, parsed.Options);
        Assert.Equal(schedule.Property, parsed.Property);
        Assert.Equal(schedule.Settings, parsed.Settings);
        Assert.Equal(schedule.Decisions.ToArray(), parsed.Decisions.ToArray());
    }

    [Fact]
    public void Equals_SameDecisionsInOtherArrays_Equal()
    {
        var schedule = Sample();
        var parsed = Schedule.Parse(schedule.ToJson());

        Assert.Equal(schedule, parsed with { Source = null });
        Assert.NotEqual(schedule, parsed with { Source = null, Decisions = schedule.Decisions.RemoveAt(0) });
    }

    [Fact]
    public void ToJson_OneDecisionPerLine()
    {
        var lines = Sample().ToJson().Split('\n');

        Assert.Contains("    \"deliver n0->n1 #1\"", lines);
        Assert.Contains("  \"protocol\": \"relay\",", lines);
        Assert.Contains("  \"nodes\": 5,", lines);
    }

    [Fact]
    public void Load_UnknownDecision_OneLineErrorWithLineNumber()
    {
        var json = Sample().ToJson().Replace("\"flush n0\"", "\"foo\"");
        var path = Path.Combine(Directory.CreateTempSubdirectory("on-sim-").FullName, "schedule.json");
        File.WriteAllText(path, json);

        var error = Assert.Throws<ScheduleFormatException>(() => Schedule.Load(path));

        var line = Array.IndexOf(json.Split('\n'), "    \"foo\",") + 1;
        Assert.Equal($"{path}: line {line}: unknown decision 'foo'", error.Message);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Theory]
    [InlineData("{ \"format\": ", "schedule.json: line 1: not valid JSON")]
    [InlineData("[]", "schedule.json: line 1: expected a JSON object")]
    [InlineData("{ \"format\": \"orleansnodes-schedule/1\" }", "schedule.json: missing 'protocol'")]
    [InlineData("{ \"format\": \"other/9\" }", "schedule.json: unsupported format 'other/9'")]
    [InlineData("{ \"format\": \"orleansnodes-schedule/1\", \"protocol\": \"p\", \"seed\": -1 }", "schedule.json: 'seed' must be a non-negative integer")]
    [InlineData("{ \"format\": \"orleansnodes-schedule/1\", \"protocol\": \"p\", \"seed\": 1, \"options\": { \"nodes\": 0 }, \"decisions\": [] }", "schedule.json: bad 'options': option Nodes = 0: must be between 1 and 64")]
    [InlineData("{ \"format\": \"orleansnodes-schedule/1\", \"protocol\": \"p\", \"seed\": 1, \"options\": { \"nodez\": 3 }, \"decisions\": [] }", "schedule.json: bad 'options'")]
    [InlineData("{ \"format\": \"orleansnodes-schedule/1\", \"protocol\": \"p\", \"seed\": 1, \"options\": {}, \"decisions\": [\n 7 ] }", "schedule.json: line 2: decision 0 is not a string")]
    [InlineData("{ \"format\": \"orleansnodes-schedule/1\", \"protocol\": \"p\", \"seed\": 1, \"nodes\": 4, \"options\": { \"nodes\": 5 }, \"decisions\": [] }", "schedule.json: 'nodes' (4) does not match options.nodes (5)")]
    public void Parse_Corrupt_OneLineError(string json, string expected)
    {
        var error = Assert.Throws<ScheduleFormatException>(() => Schedule.Parse(json, "schedule.json"));

        Assert.StartsWith(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Load_MissingFile_OneLineError()
    {
        var error = Assert.Throws<ScheduleFormatException>(() => Schedule.Load("/nonexistent/dir/s.json"));

        Assert.StartsWith("/nonexistent/dir/s.json: cannot read: ", error.Message);
    }

    [Fact]
    public void Replay_OtherSettings_OneLineError()
    {
        var sim = Simulator.Create(new Toys.Election(), Toys.ElectionSettings.Default);
        var schedule = Sample() with { Protocol = "election", Settings = "ElectionSettings { TimeoutTicksMin = 1, TimeoutTicksMax = 2 }", Source = "s.json" };

        var error = Assert.Throws<ScheduleFormatException>(() => sim.Replay(schedule));

        Assert.Equal("s.json: recorded with settings ElectionSettings { TimeoutTicksMin = 1, TimeoutTicksMax = 2 }, but this simulator has ElectionSettings { TimeoutTicksMin = 10, TimeoutTicksMax = 30 }", error.Message);
    }

    [Fact]
    public void Replay_OtherProtocolsSchedule_OneLineError()
    {
        var sim = Simulator.Create(new Toys.Gossip(), Toys.Unit.Value);

        var error = Assert.Throws<ScheduleFormatException>(() => sim.Replay(Sample() with { Source = "s.json" }));

        Assert.Equal("s.json: the schedule is for protocol 'relay', not 'gossip'", error.Message);
    }

    [Fact]
    public void Parse_WorkloadAndModel_RoundTripAsVersion2()
    {
        var schedule = Sample() with
        {
            Workload = WorkloadSpec.Of("kv-clients", ("clients", 3), ("operationsPerClient", 8), ("script", "c1 put a 1; c2 get a")),
            Model = ScheduleModel.Explored,
        };

        var json = schedule.ToJson();
        var parsed = Schedule.Parse(json);

        Assert.Contains("  \"format\": \"orleansnodes-schedule/2\",", json.Split('\n'));
        Assert.Contains("  \"workload\": { \"kind\": \"kv-clients\", \"clients\": 3, \"operationsPerClient\": 8, \"script\": \"c1 put a 1; c2 get a\" },", json.Split('\n'));
        Assert.Contains("  \"model\": \"explored\",", json.Split('\n'));
        Assert.Equal(schedule, parsed with { Source = null });
        Assert.Equal(8, parsed.Workload!.Int("operationsPerClient", 0));
    }

    [Fact]
    public void Parse_SkewedRunWithARest_RoundTripsAsVersion4WithFastOrNominalClocks()
    {
        var schedule = Sample() with
        {
            Options = Sample().Options with { Faults = FaultKinds.Skew | FaultKinds.Drop },
            Decisions = [Decision.Parse("rest n1"), Decision.Round, Decision.Parse("tick n1")],
        };
        var older = schedule with { FastClocks = false };

        var json = schedule.ToJson();
        var parsed = Schedule.Parse(json);
        var parsedOlder = Schedule.Parse(older.ToJson());

        Assert.Contains("  \"format\": \"orleansnodes-schedule/4\",", json.Split('\n'));
        Assert.Contains("    \"rest n1\",", json.Split('\n'));
        Assert.Equal(ScheduleReading.Current, parsed.Reading);
        Assert.Equal(schedule, parsed with { Source = null });
        Assert.Contains("  \"format\": \"orleansnodes-schedule/4\",", older.ToJson().Split('\n'));
        Assert.Contains("  \"clocks\": \"nominal\",", older.ToJson().Split('\n'));
        Assert.Equal(new ScheduleReading(NamedRests: true, NamedDelays: true, FastClocks: false), parsedOlder.Reading);
        Assert.Equal(older, parsedOlder with { Source = null });
        Assert.Equal(new ScheduleReading(NamedRests: true, NamedDelays: true, FastClocks: false), Schedule.Parse(older.ToJson().Replace("orleansnodes-schedule/4", "orleansnodes-schedule/3", StringComparison.Ordinal)).Reading);
    }

    [Fact]
    public void Parse_UnknownClocks_RefusedWithAReason()
    {
        var json = Sample().ToJson().Replace("\"decisions\"", "\"clocks\": \"slow\",\n  \"decisions\"", StringComparison.Ordinal);

        var error = Assert.Throws<ScheduleFormatException>(() => Schedule.Parse(json, "schedule.json"));

        Assert.Equal("schedule.json: 'clocks' must be \"fast\" or \"nominal\"", error.Message);
    }

    [Fact]
    public void Parse_ReorderingRunWithADelay_RoundTripsAsVersion4()
    {
        var schedule = Sample() with
        {
            Options = Sample().Options with { Faults = FaultKinds.Reorder | FaultKinds.Skew },
            Decisions = [Decision.Parse("tick n0"), Decision.Parse("flush n0"), Decision.Parse("delay n0->n1 #1 +3"), Decision.Parse("rest n1"), Decision.Round],
        };

        var json = schedule.ToJson();
        var parsed = Schedule.Parse(json);

        Assert.Contains("  \"format\": \"orleansnodes-schedule/4\",", json.Split('\n'));
        Assert.Contains("    \"delay n0->n1 #1 +3\",", json.Split('\n'));
        Assert.True(parsed.NamedDelays);
        Assert.True(parsed.NamedRests);
        Assert.Equal(schedule, parsed with { Source = null });
    }

    [Fact]
    public void Parse_Version3UnderReorder_LoadsWithoutNamedDelays()
    {
        var reordering = Sample() with { Options = Sample().Options with { Faults = FaultKinds.Reorder | FaultKinds.Skew } };

        var parsed = Schedule.Parse(reordering.ToJson().Replace("orleansnodes-schedule/4", "orleansnodes-schedule/3", StringComparison.Ordinal));

        Assert.False(parsed.NamedDelays);
        Assert.True(parsed.NamedRests);
        Assert.True(Schedule.Parse(Sample().ToJson()).NamedDelays); // no reordering: the two readings agree
    }

    [Fact]
    public void Parse_Version2UnderSkew_LoadsWithoutNamedRests()
    {
        var skewed = Sample() with { Options = Sample().Options with { Faults = FaultKinds.Skew }, Workload = WorkloadSpec.Of("kv-clients", ("clients", 1)) };

        var parsed = Schedule.Parse(skewed.ToJson().Replace("orleansnodes-schedule/4", "orleansnodes-schedule/2", StringComparison.Ordinal));

        Assert.False(parsed.NamedRests);
        Assert.False(parsed.FastClocks);
        Assert.True(Schedule.Parse(Sample().ToJson()).NamedRests); // no skew: the two readings agree
    }

    [Fact]
    public void Parse_Version1WithoutWorkload_LoadsWithTheRandomModel()
    {
        var json = Sample().ToJson();

        var parsed = Schedule.Parse(json);

        Assert.Contains("  \"format\": \"orleansnodes-schedule/1\",", json.Split('\n'));
        Assert.Null(parsed.Workload);
        Assert.Equal(ScheduleModel.Random, parsed.Model);
    }

    [Theory]
    [InlineData("\"model\": \"greedy\"", "schedule.json: 'model' must be \"random\" or \"explored\", not \"greedy\"")]
    [InlineData("\"workload\": 3", "schedule.json: 'workload' must be an object")]
    [InlineData("\"workload\": { \"clients\": 3 }", "schedule.json: missing 'kind'")]
    [InlineData("\"workload\": { \"kind\": \"k\", \"clients\": [3] }", "schedule.json: workload parameter 'clients' must be a string or an integer")]
    public void Parse_BadWorkloadOrModel_OneLineError(string field, string expected)
    {
        var json = Sample().ToJson().Replace("  \"decisions\"", $"  {field},\n  \"decisions\"", StringComparison.Ordinal);

        var error = Assert.Throws<ScheduleFormatException>(() => Schedule.Parse(json, "schedule.json"));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Replay_RecordedWithClientsOnASimulatorWithout_OneLineError()
    {
        var sim = Simulator.Create(new Toys.Relay(), Toys.Unit.Value);
        var schedule = Sample() with { Settings = null, Workload = WorkloadSpec.Of("toy-clients", ("clients", 2)), Source = "s.json" };

        var error = Assert.Throws<ScheduleFormatException>(() => sim.Replay(schedule));

        Assert.Equal("s.json: recorded with clients toy-clients(clients=2), but this simulator has none (replay with WithWorkload)", error.Message);
    }

    [Fact]
    public void Replay_RecordedWithOtherClients_OneLineError()
    {
        var sim = Simulator.Create(new Toys.Relay(), Toys.Unit.Value)
            .WithWorkload(new WorkloadFactory<string, int>(WorkloadSpec.Of("toy-clients", ("clients", 3)), setup => new Toys.Clients(setup, 3, 5, 5)));
        var schedule = Sample() with { Settings = null, Workload = WorkloadSpec.Of("toy-clients", ("clients", 2)), Source = "s.json" };

        var error = Assert.Throws<ScheduleFormatException>(() => sim.Replay(schedule));

        Assert.Equal("s.json: recorded with clients toy-clients(clients=2), but this simulator has toy-clients(clients=3)", error.Message);
    }
}
