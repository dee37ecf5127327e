using OrleansNodes.Protocols.Paxos;
using OrleansNodes.Simulation;

namespace OrleansNodes.Protocols.Tests.Mutants;

/// <summary>
/// Hunts mutants with the simulator: seeded runs until one violates a property, then the
/// shrunk counterexample. Public so benchmarks can time "seeds and seconds to find each bug".
/// </summary>
public static class MutantHunt
{
    /// <summary>
    /// Short retry timeouts: none of the bugs depends on timing, but every tick a proposer waits
    /// before its ballot is a decision in the counterexample, so short timeouts give short ones.
    /// They are not too short either: proposers that pre-empt each other forever choose nothing,
    /// and a bug about chosen values then never shows.
    /// </summary>
    public static PaxosSettings Settings { get; } = new(ProposeOnStart: true, RetryTicksMin: 3, RetryTicksMax: 8);

    /// <summary>
    /// All faults, short runs (a short run's counterexample shrinks further), frequent fault
    /// events, no liveness phase (the bugs are safety bugs), nothing written to disk.
    /// </summary>
    public static SimulationOptions Options { get; } = SimulationOptions.Default with
    {
        Nodes = 3,
        Steps = 60,
        Faults = FaultKinds.All,
        FaultEventPercent = 6.0,
        LivenessRounds = 0,
        MaxShrinkReplays = 8_000,
        CheckDeterminism = false,
        SaveSchedule = false,
    };

    /// <summary>Every mutant with the options it is hunted with.</summary>
    public static IReadOnlyList<MutantCase> Cases { get; } =
    [
        // Amnesia only shows when a node crashes after voting and a second ballot reaches it
        // after its restart: every fault event is a crash or a restart here, not a partition or skew.
        // The simulator's recovery check would name the bug at the first restart; it is off so
        // that the hunt proves Paxos's own properties catch it.
        new(new ForgetfulAcceptor(), Options with { Faults = FaultKinds.Crash | FaultKinds.Drop | FaultKinds.Reorder, CheckRecovery = false }),
        new(new ProposerIgnoresPromisedVotes(), Options),
        new(new LearnerMixesBallots(), Options),
    ];

    /// <summary>The case of the mutant named <paramref name="name"/> (its class name).</summary>
    public static MutantCase Case(string name) => Cases.Single(c => c.Mutant.GetType().Name == name);

    /// <summary>
    /// Runs seeds from <paramref name="firstSeed"/> on until a violation, at most
    /// <paramref name="maxSeeds"/> of them. Null when the mutant survived them all.
    /// </summary>
    public static MutantFinding? Find(MutantCase mutantCase, int maxSeeds, ulong firstSeed = 1)
    {
        var report = Simulator.Create(mutantCase.Mutant, Settings).RunSuite(maxSeeds, mutantCase.Options, firstSeed);
        return report.Violation is { } violation ? new MutantFinding(violation, report.Runs, report.Steps) : null;
    }

    /// <summary>
    /// The shortest shrunk counterexample among the first <paramref name="findings"/> violations
    /// within <paramref name="maxSeeds"/> seeds (shrinking is greedy, so a few tries beat one),
    /// and every finding, in order, with the runs each took.
    /// </summary>
    public static (MutantFinding? Shortest, IReadOnlyList<MutantFinding> All) FindShortest(MutantCase mutantCase, int maxSeeds, int findings)
    {
        var all = new List<MutantFinding>();
        var seed = 1UL;
        var seedsUsed = 0;
        while (all.Count < findings && seedsUsed < maxSeeds && Find(mutantCase, maxSeeds - seedsUsed, seed) is { } finding)
        {
            all.Add(finding);
            seedsUsed += finding.Runs;
            seed = finding.Violation.Seed + 1;
        }
        return (all.MinBy(f => f.ShrunkDecisions), all);
    }
}
