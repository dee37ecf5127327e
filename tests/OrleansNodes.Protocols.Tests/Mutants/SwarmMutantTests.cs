using OrleansNodes.Protocols.KeyValue;
using OrleansNodes.Protocols.Paxos;
using OrleansNodes.Protocols.Tests.Mutants.KeyValue;
using OrleansNodes.Simulation;
using OrleansNodes.Workloads;
using Xunit.Abstractions;

namespace OrleansNodes.Protocols.Tests.Mutants;

/// <summary>
/// The mutants of issue 13: quorum-size, crash-order and promise-bookkeeping bugs, each caught
/// within a stated number of seeds by the options that suit it, while the correct protocol passes
/// the same options for as many seeds. Runs are seeded, so "within N seeds" is a fact, not a
/// chance. Where swarm testing is what makes the difference, the test says so by running both.
/// </summary>
public class SwarmMutantTests(ITestOutputHelper output)
{
    /// <summary>The Paxos hunt's options with swarm testing: 3..5 nodes and a subset of every fault per run.</summary>
    private static readonly SimulationOptions Swarm = MutantHunt.Options with { Swarm = true };

    /// <summary>Crashes biased to node-loop boundaries: a fifth of the flushes is followed at once by a crash.</summary>
    private static readonly SimulationOptions BoundaryCrashes = MutantHunt.Options with
    {
        Faults = FaultKinds.Crash | FaultKinds.Drop | FaultKinds.Reorder,
        BoundaryCrashPercent = 20,
    };

    /// <summary>A network that duplicates often and loses nothing: one of the configurations a swarm draws, made explicit.</summary>
    private static readonly SimulationOptions DuplicatesNoLoss = MutantHunt.Options with { Faults = FaultKinds.Duplicate, DuplicatePercent = 10 };

    public static TheoryData<string, int> PaxosMutants => new()
    {
        // First found at seed 19; the fixed three-node options never can (see below).
        { nameof(MajorityRoundsHalfUp), 100 },
        // First found at seed 1388 (5 findings in 3639 seeds; the plain crash hunt finds 2 in 5000).
        { nameof(PromiseNotWritten), 1_500 },
        // First found at seed 556 (4 findings in 5000 seeds).
        { nameof(ProposerCountsDuplicatePromises), 1_000 },
    };

    private static (PaxosMutant Mutant, SimulationOptions Options) PaxosCase(string name) => name switch
    {
        nameof(MajorityRoundsHalfUp) => (new MajorityRoundsHalfUp(), Swarm),
        nameof(PromiseNotWritten) => (new PromiseNotWritten(), BoundaryCrashes),
        _ => (new ProposerCountsDuplicatePromises(), DuplicatesNoLoss),
    };

    [Theory]
    [MemberData(nameof(PaxosMutants))]
    public void RunSuite_PaxosMutant_ViolatesTheExpectedPropertyWithinItsSeedsAndTheScheduleReplays(string name, int seeds)
    {
        var (mutant, options) = PaxosCase(name);
        var simulator = Simulator.Create(mutant, MutantHunt.Settings);

        var report = simulator.RunSuite(seeds, options, firstSeed: 1);

        var violation = report.Violation ?? throw new Xunit.Sdk.XunitException($"{name} ({mutant.Bug}) survived {seeds} seeds");
        output.WriteLine($"{name}: caught at seed {violation.Seed} after {report.Runs} runs");
        output.WriteLine(violation.ToString());
        Assert.Equal(mutant.ExpectedViolation, violation.Property);
        Assert.DoesNotContain("does not hold", violation.Message, StringComparison.Ordinal);
        Assert.Equal(violation.Property, simulator.Replay(violation.Schedule).Violation?.Property);
    }

    [Theory]
    [MemberData(nameof(PaxosMutants))]
    public void RunSuite_CorrectPaxosWithTheMutantsOptions_FindsNothing(string name, int seeds)
    {
        var (_, options) = PaxosCase(name);

        var report = Simulator.Create(new SingleDecreePaxos(), MutantHunt.Settings).RunSuite(seeds, options, firstSeed: 1);

        Assert.True(report.Violation is null, report.Failure);
    }

    [Fact]
    public void RunSuite_MajorityRoundsHalfUpWithoutSwarm_SurvivesBecauseEveryRunHasThreeNodes()
    {
        // (3 + 1) / 2 = 3 / 2 + 1: in a three-node cluster the mutant is the correct protocol. The
        // hunt's fixed options can never catch it; the swarm above does within 100 seeds.
        var report = Simulator.Create(new MajorityRoundsHalfUp(), MutantHunt.Settings).RunSuite(1_000, MutantHunt.Options, firstSeed: 1);

        Assert.True(report.Violation is null, report.Failure);
    }

    /// <summary>
    /// The crash-order and duplicate-counting bugs need one feature at full strength (crashes at
    /// node-loop boundaries; a duplicating network that loses nothing). The hunt's all-faults
    /// options, where crashes land anywhere and loss masks duplicates, find neither within the
    /// same seeds (nor in 5000, when this was written); whatever they find later, it is later.
    /// </summary>
    [Theory]
    [InlineData(nameof(PromiseNotWritten), 1_500)]
    [InlineData(nameof(ProposerCountsDuplicatePromises), 1_000)]
    public void RunSuite_FeatureBugWithTheHuntsAllFaultsOptions_FoundLaterThanWithItsFeatureOrNotAtAll(string name, int seeds)
    {
        var (mutant, options) = PaxosCase(name);
        var simulator = Simulator.Create(mutant, MutantHunt.Settings);

        var focused = simulator.RunSuite(seeds, options with { Shrink = false }, firstSeed: 1);
        var allFaults = simulator.RunSuite(seeds, MutantHunt.Options with { Shrink = false }, firstSeed: 1);

        output.WriteLine($"{name}: with its feature at seed {focused.Violation?.Seed}; all faults: {(allFaults.Violation is { } v ? $"seed {v.Seed}" : $"not in {seeds} seeds")}");
        Assert.NotNull(focused.Violation);
        Assert.True(allFaults.Violation is null || allFaults.Violation.Seed > focused.Violation.Seed, allFaults.Violation?.ToString());
    }

    [Fact]
    public void Run_SwarmViolationSeed_ReproducesTheConfigurationAndNamesIt()
    {
        // --seed N reproduces a swarm run: the configuration is drawn from the seed, and the
        // schedule records the drawn options, not the swarm.
        var simulator = Simulator.Create(new MajorityRoundsHalfUp(), MutantHunt.Settings);
        var suiteViolation = simulator.RunSuite(100, Swarm, firstSeed: 1).Violation!;

        var run = simulator.Run(suiteViolation.Seed, Swarm);

        Assert.Equal(suiteViolation.Property, run.Violation?.Property);
        Assert.Equal(suiteViolation.Message, run.Violation?.Message);
        Assert.False(suiteViolation.Schedule.Options.Swarm);
        Assert.Equal(0, suiteViolation.Schedule.Nodes % 2);
        Assert.Equal(Swarm.ForRun(suiteViolation.Seed).DescribeConfiguration(), suiteViolation.Configuration);
        Assert.Contains("swarm configuration: ", suiteViolation.ToString(), StringComparison.Ordinal);
    }

    public static TheoryData<string> KeyValueMutants => [.. KeyValueMutantHunt.SwarmCases.Select(c => c.ToString())];

    /// <summary>
    /// Each is caught within 20 seeds of the key-value hunt's options, for which
    /// <see cref="KeyValueMutantTests"/> already runs the correct store over 3000 seeds (and
    /// <see cref="RunSuite_CorrectStoreWithQuickElections_HoldsTheTighterStepDownBound"/> with
    /// the availability mutant's settings and bound).
    /// </summary>
    [Theory]
    [MemberData(nameof(KeyValueMutants))]
    public void RunSuite_KeyValueMutant_ViolatesTheExpectedPropertyWithin20Seeds(string name)
    {
        var mutantCase = KeyValueMutantHunt.Case(name);
        var mutant = mutantCase.Mutant;
        var simulator = mutantCase.Simulator();

        var report = simulator.RunSuite(20, KeyValueMutantHunt.Options with { MaxShrinkReplays = 500 }, firstSeed: 1);

        var violation = report.Violation ?? throw new Xunit.Sdk.XunitException($"{name} ({mutant.Bug}) survived 20 seeds");
        output.WriteLine($"{name}: caught at seed {violation.Seed} after {report.Runs} runs");
        output.WriteLine(violation.ToString());
        Assert.Equal(mutant.ExpectedViolation, violation.Property);
        Assert.DoesNotContain("does not hold", violation.Message, StringComparison.Ordinal);
        Assert.Equal(violation.Property, simulator.Replay(violation.Schedule).Violation?.Property);
    }

    [Fact]
    public void RunSuite_CorrectStoreWithQuickElections_HoldsTheTighterStepDownBound()
    {
        // The availability mutant's hunt: elections after 4-8 ticks, a leader cut off must step down within 23 rounds.
        var mutantCase = KeyValueMutantHunt.Case(nameof(LeaderIgnoresCheckQuorum));
        var properties = mutantCase.CorrectStore.Properties;
        Assert.Contains(properties, p => p.Name == "a leader cut off from a majority steps down within 23 rounds");

        var report = KeyValueMutantHunt.Simulator(mutantCase.CorrectStore, mutantCase.HuntSettings)
            .RunSuite(3_000, mutantCase.Options with { Shrink = false }, firstSeed: 1);

        output.WriteLine(report.ToString());
        Assert.True(report.Violation is null, report.Failure);
        Assert.Equal(3_000, report.Runs);
    }

    [Fact]
    public void RunSuite_CorrectStoreSwarm_FindsNothing()
    {
        var report = Simulator.Create(new KeyValueProtocol(), KeyValueMutantHunt.Settings)
            .WithWorkload(KeyValueClients.Factory(clients: 3, operationsPerClient: 8))
            .RunSuite(150, KeyValueMutantHunt.Options with { Swarm = true }, firstSeed: 1);

        output.WriteLine(report.ToString());
        Assert.True(report.Violation is null, report.Failure);
        Assert.Contains(report.Configurations, c => c.Kind == "4 nodes");
        Assert.Contains(report.Configurations, c => c.Kind == "write-then-crash");
    }
}
