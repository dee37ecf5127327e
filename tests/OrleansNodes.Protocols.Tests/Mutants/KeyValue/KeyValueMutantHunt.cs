using OrleansNodes.Protocols.KeyValue;
using OrleansNodes.Simulation;
using OrleansNodes.Workloads;

namespace OrleansNodes.Protocols.Tests.Mutants.KeyValue;

/// <summary>A key-value mutant and the simulation options it is hunted with.</summary>
public sealed record KeyValueMutantCase(KeyValueMutant Mutant, SimulationOptions Options)
{
    /// <inheritdoc/>
    public override string ToString() => Mutant.GetType().Name;
}

/// <summary>
/// Hunts key-value mutants with the simulator, with three simulated clients whose history is
/// checked for linearizability: seeded runs until one violates a property, then the shrunk
/// counterexample. Public so benchmarks can time them.
/// </summary>
public static class KeyValueMutantHunt
{
    /// <summary>Small windows and budgets, so snapshots, compaction and chunked transfers happen within short runs.</summary>
    public static KeyValueSettings Settings { get; } = KeyValueSettings.SmallWindows;

    /// <summary>
    /// All faults, the suites' run length, no schedule files. Shrinking may replay 20,000 times:
    /// key-value counterexamples start at hundreds or thousands of decisions, and 4,000 replays
    /// ran out before shrinking was done with several of them (docs/BENCHMARKS.md, "Shrunk counterexamples").
    /// </summary>
    public static SimulationOptions Options { get; } = SimulationOptions.Default with
    {
        Nodes = 3,
        Steps = 1_200,
        Faults = FaultKinds.All,
        LivenessRounds = 400,
        MaxShrinkReplays = 20_000,
        CheckDeterminism = false,
        SaveSchedule = false,
    };

    /// <summary>The durability mutants show only across a crash: every fault event is a crash or a restart, and they are frequent.</summary>
    public static SimulationOptions CrashOptions { get; } = Options with { Faults = FaultKinds.Crash | FaultKinds.Drop | FaultKinds.Reorder, FaultEventPercent = 3.0 };

    /// <summary>Every key-value mutant with the options it is hunted with.</summary>
    public static IReadOnlyList<KeyValueMutantCase> Cases { get; } =
    [
        new(new LeaderReadsLocally(), Options),
        new(new ApplyOutOfOrder(), Options),
        new(new NoDeduplication(), Options),
        new(new SnapshotBeforeApply(), CrashOptions),
        new(new OverwriteNotWritten(), CrashOptions with { Faults = FaultKinds.All }),
        new(new RecoveryReplaysSnapshot(), CrashOptions),
    ];

    /// <summary>
    /// The key-value mutants that <see cref="SwarmMutantTests"/> hunts with <see cref="Options"/>
    /// (issue 13's promise-bookkeeping and availability mutants), as cases.
    /// </summary>
    public static IReadOnlyList<KeyValueMutantCase> SwarmCases { get; } =
    [
        new(new PromiseFallsBack(), Options),
        new(new AcceptWithoutPromise(), Options),
        new(new LeaderIgnoresCheckQuorum(), Options),
    ];

    /// <summary>The case of the mutant named <paramref name="name"/> (its class name), in <see cref="Cases"/> or <see cref="SwarmCases"/>.</summary>
    public static KeyValueMutantCase Case(string name) => Cases.Concat(SwarmCases).Single(c => c.Mutant.GetType().Name == name);

    /// <summary>The simulator for <paramref name="mutant"/>, with the clients every hunt uses.</summary>
    public static Simulator<KeyValueSettings, KeyValueState, KeyValueMessage, KeyValueCommand, KeyValueReply> Simulator(KeyValueMutant mutant) =>
        OrleansNodes.Simulation.Simulator.Create(mutant, Settings).WithWorkload(KeyValueClients.Factory(clients: 3, operationsPerClient: 8));

    /// <summary>Runs seeds from <paramref name="firstSeed"/> on until a violation, at most <paramref name="maxSeeds"/>. Null when the mutant survived.</summary>
    public static MutantFinding? Find(KeyValueMutantCase mutantCase, int maxSeeds, ulong firstSeed = 1)
    {
        var report = Simulator(mutantCase.Mutant).RunSuite(maxSeeds, mutantCase.Options, firstSeed);
        return report.Violation is { } violation ? new MutantFinding(violation, report.Runs, report.Steps) : null;
    }
}
