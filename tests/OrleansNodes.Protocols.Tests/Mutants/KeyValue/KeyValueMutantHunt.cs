using OrleansNodes.Protocols.KeyValue;
using OrleansNodes.Simulation;
using OrleansNodes.Workloads;

namespace OrleansNodes.Protocols.Tests.Mutants.KeyValue;

/// <summary>A key-value mutant, the simulation options it is hunted with, and its own settings when not the hunts' (<see cref="KeyValueMutantHunt.Settings"/>).</summary>
public sealed record KeyValueMutantCase(KeyValueMutant Mutant, SimulationOptions Options, KeyValueSettings? Settings = null)
{
    /// <summary>The settings the mutant is hunted, replayed and compared with.</summary>
    public KeyValueSettings HuntSettings => Settings ?? KeyValueMutantHunt.Settings;

    /// <summary>The mutant's simulator, with the clients every hunt uses.</summary>
    public Simulator<KeyValueSettings, KeyValueState, KeyValueMessage, KeyValueCommand, KeyValueReply> Simulator() => KeyValueMutantHunt.Simulator(Mutant, HuntSettings);

    /// <summary>The correct store with the mutant's properties and settings: what its counterexamples must pass on.</summary>
    public CorrectStore CorrectStore => new() { CheckedProperties = Mutant.CheckedProperties };

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
    /// Elections after 4–8 silent ticks and a heartbeat every tick: a leader cut off must step
    /// down within 2 × (8 + 1) + 4 + 1 = 23 rounds (<see cref="KeyValueProperties.StepDownBoundRounds"/>)
    /// instead of 47, so a leader that never does shows it in half the rounds.
    /// </summary>
    public static KeyValueSettings QuickElections { get; } = Settings with { ElectionTimeoutTicksMin = 4, ElectionTimeoutTicksMax = 8, HeartbeatIntervalTicks = 1 };

    /// <summary>
    /// The key-value mutants that <see cref="SwarmMutantTests"/> hunts with <see cref="Options"/>
    /// (issue 13's promise-bookkeeping and availability mutants), as cases. The availability
    /// mutant is hunted with <see cref="QuickElections"/> and the step-down bound built for them:
    /// with the hunts' 10–20 tick timeouts its counterexamples could not be shorter than about 50
    /// decisions, the 47 rounds its property allows (docs/BENCHMARKS.md, "Shrunk counterexamples").
    /// </summary>
    public static IReadOnlyList<KeyValueMutantCase> SwarmCases { get; } =
    [
        new(new PromiseFallsBack(), Options),
        new(new AcceptWithoutPromise(), Options),
        new(new LeaderIgnoresCheckQuorum { CheckedProperties = KeyValueProperties.For(QuickElections) }, Options, QuickElections),
    ];

    /// <summary>The case of the mutant named <paramref name="name"/> (its class name), in <see cref="Cases"/> or <see cref="SwarmCases"/>.</summary>
    public static KeyValueMutantCase Case(string name) => Cases.Concat(SwarmCases).Single(c => c.Mutant.GetType().Name == name);

    /// <summary>The simulator for <paramref name="mutant"/>, with the clients every hunt uses.</summary>
    public static Simulator<KeyValueSettings, KeyValueState, KeyValueMessage, KeyValueCommand, KeyValueReply> Simulator(KeyValueMutant mutant, KeyValueSettings? settings = null) =>
        OrleansNodes.Simulation.Simulator.Create(mutant, settings ?? Settings).WithWorkload(KeyValueClients.Factory(clients: 3, operationsPerClient: 8));

    /// <summary>Runs seeds from <paramref name="firstSeed"/> on until a violation, at most <paramref name="maxSeeds"/>. Null when the mutant survived.</summary>
    public static MutantFinding? Find(KeyValueMutantCase mutantCase, int maxSeeds, ulong firstSeed = 1)
    {
        var report = mutantCase.Simulator().RunSuite(maxSeeds, mutantCase.Options, firstSeed);
        return report.Violation is { } violation ? new MutantFinding(violation, report.Runs, report.Steps) : null;
    }
}
