using OrleansNodes.Protocols.FailureDetector;
using OrleansNodes.Protocols.KeyValue;
using OrleansNodes.Protocols.Tests.Mutants;
using OrleansNodes.Protocols.Tests.Mutants.KeyValue;
using OrleansNodes.Simulation;
using OrleansNodes.Simulation.Exploration;
using OrleansNodes.Workloads;
using Xunit.Abstractions;

namespace OrleansNodes.Protocols.Tests.Exploration;

/// <summary>
/// The explorer against the key-value mutants. Every interleaving reaches the two
/// promise-bookkeeping bugs, which show in the first election. The others need an election and
/// several requests (depth 16 and more), past the 3 million states the store has by then; a
/// delay-bounded search (<see cref="ExplorationOptions.MaxDelays"/>) follows a default schedule
/// with at most three departures from it and reaches six more: a gap applied past, the two
/// snapshot bugs, a leader that reads locally once it is cut off and deposed, a retried command
/// executed twice, and a deposed leader that answers a get from a client with a stale leader
/// cache. The last, an overwrite that was never written, takes four faults in a row and no
/// unusual message order: a search with no delay but free faults where no message is in flight
/// (<see cref="ExplorationOptions.QuietFaults"/>) reaches it. See docs/BENCHMARKS.md.
/// </summary>
public class ExplorerKeyValueMutantTests(ITestOutputHelper output)
{
    /// <summary>Elections after one or two silent ticks, heartbeats every tick (the console's <c>explore kv</c> settings).</summary>
    public static readonly KeyValueSettings Settings = KeyValueSettings.SmallWindows with
    {
        ElectionTimeoutTicksMin = 1,
        ElectionTimeoutTicksMax = 2,
        HeartbeatIntervalTicks = 1,
    };

    /// <summary>
    /// For the delay-bounded searches: one command a slot, and a snapshot every two slots applied
    /// (keeping one entry past it), so that compaction, recovery from a snapshot and catching up
    /// happen within a few requests.
    /// </summary>
    public static readonly KeyValueSettings Compacting = Settings with { BatchCommandsMax = 1, SnapshotEntriesMax = 2, RetainedEntriesMax = 1 };

    private static readonly ExplorationOptions OneClient = new() { Nodes = 3, Clients = 1, TicksPerNode = 2, MaxDepth = 12, Threads = 2 };

    /// <summary>Two clients of three operations, a crash, a drop, a partition and a client's retry, at most three departures from the default schedule.</summary>
    public static readonly ExplorationOptions ThreeDelays = new()
    {
        Nodes = 3, Clients = 2, OperationsPerClient = 3, TicksPerNode = 6, MaxCrashes = 1, MaxDrops = 1, MaxPartitions = 1, MaxRetries = 1, MaxDelays = 3, MaxDepth = 200, Threads = 2,
    };

    public static TheoryData<string, int> Mutants => new()
    {
        // Shortest counterexamples, exact because the search is breadth-first.
        { nameof(PromiseFallsBack), 8 },
        { nameof(AcceptWithoutPromise), 10 },
    };

    [Theory]
    [MemberData(nameof(Mutants))]
    public void Explore_KeyValueMutant_FindsTheBrokenPromiseAndTheSavedScheduleReplaysIt(string name, int depth)
    {
        var mutant = Mutant(name);

        var report = Explore(mutant, OneClient);

        var violation = Assert.IsType<ExplorationViolation>(report.Violation);
        output.WriteLine($"{name}: {report.UniqueStates:N0} states, {report.Elapsed.TotalSeconds:F1} s, '{violation.Property}' after {violation.Actions} actions: {violation.Message}");
        Assert.Equal(mutant.ExpectedViolation, violation.Property);
        Assert.Equal(depth, violation.Actions);

        var replay = ReplayFromFile(violation, mutant, Settings);
        Assert.Equal(0, replay.SkippedDecisions);
        Assert.Equal(violation.Property, replay.Violation?.Property);
    }

    [Theory]
    [MemberData(nameof(Mutants))]
    public void Explore_CorrectStoreWithTheMutantsBounds_FindsNothingUpToTheDepthOfTheBug(string name, int depth)
    {
        var report = Explore(new KeyValueProtocol(), OneClient with { MaxDepth = depth });

        output.WriteLine($"correct store with {name}'s bounds to depth {depth}: {report.UniqueStates:N0} states, {report.Elapsed.TotalSeconds:F1} s");
        Assert.Null(report.Violation);
        Assert.True(report.DepthBounded);
    }

    [Theory]
    [MemberData(nameof(Mutants))]
    public void Explore_KeyValueMutant_NeedsNoMoreActionsThanTheRandomSimulatorsShrunkCounterexample(string name, int depth)
    {
        var mutant = Mutant(name);
        var simulator = KeyValueMutantHunt.Simulator(mutant);
        var random = simulator.RunSuite(20, KeyValueMutantHunt.Options with { MaxShrinkReplays = 500 }, firstSeed: 1).Violation!;

        var randomActions = Counterexamples.Actions(simulator, random.Schedule);
        output.WriteLine($"{name}: explorer {depth} actions; random simulator seed {random.Seed}, shrunk to {random.Schedule.Decisions.Length} decisions, {randomActions} actions with the work its rounds owe");
        Assert.Equal(mutant.ExpectedViolation, random.Property);
        Assert.InRange(depth, 1, randomActions);
    }

    public static TheoryData<string, int> DelayBoundedMutants => new()
    {
        // Shortest within the budget: breadth-first over the paths with at most three delays.
        { nameof(ApplyOutOfOrder), 25 },
        { nameof(SnapshotBeforeApply), 41 },
        { nameof(RecoveryReplaysSnapshot), 41 },
        { nameof(LeaderReadsLocally), 36 },
        { nameof(NoDeduplication), 26 },
        // A client with a stale leader cache sends its get to the deposed leader.
        { nameof(ReadsWithoutConfirmation), 36 },
    };

    [Theory]
    [MemberData(nameof(DelayBoundedMutants))]
    public void ExploreWithThreeDelays_KeyValueMutant_FindsItAndTheSavedScheduleReplaysIt(string name, int actions)
    {
        var (mutant, property, _, _) = DelayBounded(name);

        var report = Explore(mutant, ThreeDelays, Compacting);

        var violation = Assert.IsType<ExplorationViolation>(report.Violation);
        output.WriteLine($"{name}: {report.UniqueStates:N0} states, {report.Elapsed.TotalSeconds:F1} s, '{violation.Property}' after {violation.Actions} actions ({violation.Decisions.Length} decisions): {violation.Message}");
        Assert.Equal(property, violation.Property);
        // The read path's mutants break linearizability with a stale get.
        if (property == "workload") Assert.Contains("is stale", violation.Message, StringComparison.Ordinal);
        Assert.Equal(actions, violation.Actions);

        var replay = Simulator.Create(mutant, Compacting).WithExplorationClients(ExplorationScripts.KeyValue).Replay(violation.Schedule!);
        Assert.Equal(0, replay.SkippedDecisions);
        Assert.Equal(violation.Property, replay.Violation?.Property);
    }

    [Theory]
    [MemberData(nameof(DelayBoundedMutants))]
    public void ExploreWithThreeDelays_KeyValueMutant_NeedsNoMoreActionsThanTheRandomSimulatorsShrunkCounterexample(string name, int actions) =>
        AssertNoLongerThanTheRandomSimulators(name, actions);

    [Fact]
    public void ExploreWithThreeDelays_CorrectStore_FindsNothingUpToTheDepthOfTheBugs()
    {
        var depth = DelayBoundedMutants.Max(row => (int)row[1]);

        var report = Explore(new KeyValueProtocol(), ThreeDelays with { MaxDepth = depth }, Compacting);

        output.WriteLine($"correct store, three delays, to depth {depth}: {report.UniqueStates:N0} states, {report.Elapsed.TotalSeconds:F1} s");
        Assert.Null(report.Violation);
        Assert.False(report.CutShort);
        Assert.True(report.DepthBounded);
    }

    /// <summary>
    /// Two clients of one operation, two crashes and two partitions, and no delay: the faults are
    /// free where no message is in flight (<see cref="ExplorationOptions.QuietFaults"/>), so the
    /// search tries every sequence of up to four of them at a path's quiet points, with the
    /// messages in the default schedule's order in between.
    /// </summary>
    public static readonly ExplorationOptions QuietFaults = new()
    {
        Nodes = 3, Clients = 2, TicksPerNode = 4, MaxCrashes = 2, MaxPartitions = 2, MaxDelays = 0, QuietFaults = true, MaxDepth = 200, Threads = 2,
    };

    [Fact]
    public void ExploreWithQuietFaults_OverwriteNotWritten_FindsItAndTheScheduleReplaysIt()
    {
        // The bug needs two leader changes, each behind a cut, and a crash of the acceptor whose
        // overwrite was never written: more departures from the default schedule than any delay
        // budget reaches (docs/BENCHMARKS.md), but no unusual order of messages.
        var mutant = Mutant(nameof(OverwriteNotWritten));

        var report = Explore(mutant, QuietFaults, Compacting);

        var violation = Assert.IsType<ExplorationViolation>(report.Violation);
        output.WriteLine($"{report.UniqueStates:N0} states, {report.Elapsed.TotalSeconds:F1} s, '{violation.Property}' after {violation.Actions} actions: {violation.Message}");
        Assert.Equal(mutant.ExpectedViolation, violation.Property);
        Assert.Equal(72, violation.Actions);
        Assert.Equal(0, violation.Schedule!.Decisions.Count(d => d.Kind == DecisionKind.Drop));
        Assert.InRange(violation.Decisions.Count(d => d.Kind == DecisionKind.Crash), 1, 2);

        var replay = ReplayFromFile(violation, mutant, Compacting);
        Assert.Equal(0, replay.SkippedDecisions);
        Assert.Equal(violation.Property, replay.Violation?.Property);

        AssertNoLongerThanTheRandomSimulators(nameof(OverwriteNotWritten), violation.Actions);
    }

    [Fact]
    public void ExploreWithQuietFaults_CorrectStore_FindsNothingOnAnyPathOfTheBounds()
    {
        var report = Explore(new KeyValueProtocol(), QuietFaults, Compacting);

        output.WriteLine($"correct store, quiet faults: {report.UniqueStates:N0} states, depth {report.Depth}, {report.Elapsed.TotalSeconds:F1} s");
        Assert.Null(report.Violation);
        Assert.False(report.CutShort);
        Assert.False(report.DepthBounded);
    }

    /// <summary>
    /// The step-down bound in this search's rounds. A round ends when every node has ticked once
    /// more; with clocks at most one tick apart (<see cref="ExplorationOptions.MaxTickLead"/>) a
    /// leader ticks in every round but one, and a cut link loses what it carries, so nothing
    /// delayed can reset its count after the cut: one tick per round, no delay
    /// (<see cref="KeyValueProperties.StepDownBoundRounds"/>: election timeout + 2 rounds).
    /// </summary>
    public static readonly NetworkBounds SearchRounds = new(MaxMessageDelayRounds: 0, MaxTickSkew: 1);

    /// <summary>One node cut off long enough to have to step down; no clients, no crash.</summary>
    public static readonly ExplorationOptions CutOff = new()
    {
        Nodes = 3, TicksPerNode = 8, MaxTickLead = 1, MaxPartitions = 1, MaxDelays = 2, MaxDepth = 80, Threads = 2,
    };

    [Fact]
    public void Explore_LeaderIgnoresCheckQuorum_CaughtWithTheSearchsStepDownBoundAndTheScheduleReplays()
    {
        var properties = KeyValueProperties.For(Settings, SearchRounds);
        var mutant = new LeaderIgnoresCheckQuorum { CheckedProperties = properties };

        var report = Explore(mutant, CutOff);

        var violation = Assert.IsType<ExplorationViolation>(report.Violation);
        output.WriteLine($"{report.UniqueStates:N0} states, {report.Elapsed.TotalSeconds:F1} s, '{violation.Property}' after {violation.Actions} actions: {violation.Message}");
        Assert.Equal("a leader cut off from a majority steps down within 4 rounds", violation.Property);
        Assert.Equal(52, violation.Actions);
        var replay = Simulator.Create(mutant, Settings).WithExplorationClients(ExplorationScripts.KeyValue).Replay(violation.Schedule!);
        Assert.Equal(0, replay.SkippedDecisions);
        Assert.Equal(violation.Property, replay.Violation?.Property);

        // The random simulator's shrunk counterexample (its hunt's bound, 23 rounds) takes more actions.
        var simulator = KeyValueMutantHunt.Case(nameof(LeaderIgnoresCheckQuorum)).Simulator();
        var random = simulator.RunSuite(20, KeyValueMutantHunt.Options with { MaxShrinkReplays = 500 }, firstSeed: 1).Violation!;
        var randomActions = Counterexamples.Actions(simulator, random.Schedule);
        output.WriteLine($"random simulator seed {random.Seed}, shrunk to {random.Schedule.Decisions.Length} decisions, {randomActions} actions with the work its rounds owe");
        Assert.InRange(violation.Actions, 1, randomActions);

        // The same bound on the correct store: clean, so the bound is not too tight for this search.
        var correct = Explore(new CorrectStore { CheckedProperties = properties }, CutOff with { MaxDelays = 3 });
        output.WriteLine($"correct store: {correct.UniqueStates:N0} states, {correct.Elapsed.TotalSeconds:F1} s");
        Assert.Null(correct.Violation);
        Assert.False(correct.CutShort);
    }

    [Fact]
    public void ExploreWithoutDelays_RequestsWaitForALeader_SoTheDefaultScheduleAloneAppliesTheirPuts()
    {
        // No delay: the search follows the default schedule and nothing else, one path.
        var applied = Property.Sometimes<KeyValueState>("both clients' puts were applied", o => o.States.Any(s => s.Store.Sessions.Count == 2));
        var options = new ExplorationOptions { Nodes = 3, Clients = 2, TicksPerNode = 6, MaxDelays = 0, MaxDepth = 200 };
        var store = new CorrectStore { CheckedProperties = [applied] };

        var waiting = Simulator.Create(store, Settings).WithExplorationClients(ExplorationScripts.KeyValue).Explore(options);
        var eager = Simulator.Create(store, Settings).WithExplorationClients(ExplorationScripts.KeyValue with { TakesRequests = null }).Explore(options);

        output.WriteLine($"clients that wait: {waiting.UniqueStates} states; clients that send at once: {eager.UniqueStates} states");
        Assert.True(waiting.Passed, "the default schedule did not apply both puts");
        // Sent at once, before any election, each request uses up its redirects and its client stops.
        Assert.False(eager.Goals.Single(g => g.Name == applied.Name).Reached);
    }

    private static KeyValueMutant Mutant(string name) => KeyValueMutantHunt.Case(name).Mutant;

    /// <summary>
    /// A delay-bounded case: the protocol, the property it breaks, and the random simulator's hunt
    /// for it with its options. The read path's mutant is a store subclass with a hunt of its own
    /// (the leader cut off, clients behind their gateways, <see cref="ReadPathHuntTests"/>).
    /// </summary>
    private static (Protocol<KeyValueSettings, KeyValueState, KeyValueMessage, KeyValueCommand, KeyValueReply> Mutant, string Property, Simulator<KeyValueSettings, KeyValueState, KeyValueMessage, KeyValueCommand, KeyValueReply> Random, SimulationOptions RandomOptions) DelayBounded(string name)
    {
        if (name == nameof(ReadsWithoutConfirmation))
        {
            var stale = new ReadsWithoutConfirmation();
            return (stale, "workload", ReadPathHuntTests.Simulator(stale), ReadPathHuntTests.LeaderIsolated);
        }

        var hunt = KeyValueMutantHunt.Case(name);
        return (hunt.Mutant, hunt.Mutant.ExpectedViolation, hunt.Simulator(), hunt.Options);
    }

    /// <summary>
    /// The random simulator's hunt for <paramref name="name"/> (its options, from seed 1, 500
    /// shrink replays) must break the same property, with a shrunk counterexample of at least
    /// <paramref name="actions"/> actions, counting the work its rounds owe.
    /// </summary>
    private void AssertNoLongerThanTheRandomSimulators(string name, int actions)
    {
        var (_, property, simulator, options) = DelayBounded(name);
        var random = simulator.RunSuite(200, options with { MaxShrinkReplays = 500 }, firstSeed: 1).Violation!;

        var randomActions = Counterexamples.Actions(simulator, random.Schedule);
        output.WriteLine($"{name}: explorer {actions} actions; random simulator seed {random.Seed}, shrunk to {random.Schedule.Decisions.Length} decisions, {randomActions} actions with the work its rounds owe");
        Assert.Equal(property, random.Property);
        Assert.InRange(actions, 1, randomActions);
    }

    /// <summary>Saves the counterexample's schedule as the console does, loads it back, and replays it with the explorer's clients.</summary>
    private static RunReport ReplayFromFile(ExplorationViolation violation, Protocol<KeyValueSettings, KeyValueState, KeyValueMessage, KeyValueCommand, KeyValueReply> protocol, KeyValueSettings settings)
    {
        var path = Path.Combine(Path.GetTempPath(), $"explored-{protocol.Name}-{Environment.ProcessId}.schedule.json");
        violation.Schedule!.Save(path);
        var loaded = Schedule.Load(path);
        File.Delete(path);
        return Simulator.Create(protocol, settings).WithExplorationClients(ExplorationScripts.KeyValue).Replay(loaded);
    }

    private static ExplorationReport Explore(Protocol<KeyValueSettings, KeyValueState, KeyValueMessage, KeyValueCommand, KeyValueReply> protocol, ExplorationOptions options, KeyValueSettings? settings = null) =>
        Simulator.Create(protocol, settings ?? Settings).WithExplorationClients(ExplorationScripts.KeyValue).Explore(options);
}
