using OrleansNodes.Protocols.KeyValue;
using OrleansNodes.Protocols.Paxos;
using OrleansNodes.Simulation;
using OrleansNodes.Simulation.Exploration;
using OrleansNodes.Workloads;

namespace OrleansNodes.Benchmarks;

/// <summary>
/// The explorer's speed on the model Stateright's <c>paxos check 3</c> explores: single-decree
/// Paxos, 3 nodes, 3 clients each proposing once, an unordered network that neither loses nor
/// duplicates, no timers. One thread is the baseline for two.
/// </summary>
internal static class ExploreThroughput
{
    public static IEnumerable<string> Run()
    {
        var paxos = Simulator.Create(new SingleDecreePaxos(), PaxosSettings.Default with { ProposeOnStart = false })
            .WithExplorationClients(ExplorationScripts.Paxos);
        // Bounded by unique states, not depth: the rate, not the state space's size, is the figure.
        var options = new ExplorationOptions { Nodes = 3, Clients = 3, MaxDepth = 200, TicksPerNode = 0, MaxStates = 3_000_000 };
        foreach (var threads in new[] { 1, 2, 1, 2 })
        {
            GC.Collect();
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var collections = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2);
            var gen2 = GC.CollectionCount(2);
            var report = paxos.Explore(options with { Threads = threads });
            yield return $"explore paxos 3 nodes 3 clients, {threads} thread(s): {report.UniqueStates:N0} unique of {report.GeneratedStates:N0} generated in {report.Elapsed.TotalSeconds:F2} s = {report.UniquePerSecond:N0} unique/s | depth {report.Depth} | visited set {report.VisitedBytes / 1e6:N1} MB ({(double)report.VisitedBytes / report.UniqueStates:F1} B/state) | peak working set {report.PeakBytes / 1e6:N0} MB | {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)report.GeneratedStates:N0} B allocated per transition, {GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2) - collections} GCs ({GC.CollectionCount(2) - gen2} gen2) | {(report.Violation is null ? "no violation" : "VIOLATION " + report.Violation.Property)}";
        }
    }
}

/// <summary>
/// Time to the shortest counterexample of each Paxos mutant the explorer finds, next to the random
/// simulator's time to its first violation (the hunt's options, from seed 1) and its shrunk length,
/// in the same run.
/// </summary>
internal static class ExploreMutants
{
    public static IEnumerable<string> Run()
    {
        var settings = new PaxosSettings(ProposeOnStart: false, RetryTicksMin: 1, RetryTicksMax: 2);
        var twoProposers = new ExplorationOptions { Nodes = 3, Clients = 2, MaxDepth = 16, Threads = 2 };
        (OrleansNodes.Protocols.Tests.Mutants.PaxosMutant Mutant, ExplorationOptions Explore, SimulationOptions Random)[] cases =
        [
            (new OrleansNodes.Protocols.Tests.Mutants.ProposerIgnoresPromisedVotes(), twoProposers, OrleansNodes.Protocols.Tests.Mutants.MutantHunt.Options),
            (new OrleansNodes.Protocols.Tests.Mutants.LearnerMixesBallots(), twoProposers, OrleansNodes.Protocols.Tests.Mutants.MutantHunt.Options),
            (new OrleansNodes.Protocols.Tests.Mutants.MajorityRoundsHalfUp(), twoProposers with { Nodes = 4 }, OrleansNodes.Protocols.Tests.Mutants.MutantHunt.Options with { Swarm = true }),
            (new OrleansNodes.Protocols.Tests.Mutants.ProposerCountsDuplicatePromises(), twoProposers with { MaxDuplicates = 1 },
                OrleansNodes.Protocols.Tests.Mutants.MutantHunt.Options with { Faults = FaultKinds.Duplicate, DuplicatePercent = 10 }),
        ];
        foreach (var (mutant, explore, random) in cases)
        {
            GC.Collect();
            var report = Simulator.Create(mutant, settings).WithExplorationClients(ExplorationScripts.Paxos).Explore(explore);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var hunt = Simulator.Create(mutant, OrleansNodes.Protocols.Tests.Mutants.MutantHunt.Settings).RunSuite(5_000, random with { Shrink = false }, firstSeed: 1);
            var randomFind = watch.Elapsed;
            var randomSimulator = Simulator.Create(mutant, OrleansNodes.Protocols.Tests.Mutants.MutantHunt.Settings);
            var shrunk = randomSimulator.RunSuite(5_000, random, firstSeed: 1).Violation;
            int? actions = shrunk is null ? null : OrleansNodes.Protocols.Tests.Mutants.Counterexamples.Actions(randomSimulator, shrunk.Schedule);
            yield return $"{mutant.GetType().Name}: explorer {report.Elapsed.TotalSeconds:F1} s, {report.UniqueStates:N0} states, shortest {report.Violation?.Actions} actions ('{report.Violation?.Property}') | random simulator first violation after {hunt.Runs:N0} runs, {randomFind.TotalSeconds:F1} s; shrunk {shrunk?.Schedule.Decisions.Length} decisions, {actions} actions with the work its rounds owe";
        }
    }
}

/// <summary>
/// Every key-value mutant: the explorer, breadth-first, on paths at most three delays from the
/// default schedule (the tests' bounds, on a budget of 5 million states), next to the random
/// simulator's hunt (its options, from seed 1: time to the first violation, then the shrunk length);
/// then each again with no delay and free faults at quiet points (the tests' <c>QuietFaults</c> bounds).
/// </summary>
internal static class ExploreKeyValueMutants
{
    public static IEnumerable<string> Run()
    {
        var options = OrleansNodes.Protocols.Tests.Exploration.ExplorerKeyValueMutantTests.ThreeDelays with { MaxStates = 5_000_000 };
        var settings = OrleansNodes.Protocols.Tests.Exploration.ExplorerKeyValueMutantTests.Compacting;
        OrleansNodes.Protocols.Tests.Mutants.KeyValue.KeyValueMutant[] mutants =
        [
            new OrleansNodes.Protocols.Tests.Mutants.KeyValue.PromiseFallsBack(),
            new OrleansNodes.Protocols.Tests.Mutants.KeyValue.AcceptWithoutPromise(),
            .. OrleansNodes.Protocols.Tests.Mutants.KeyValue.KeyValueMutantHunt.Cases.Select(c => c.Mutant),
        ];
        var quiet = OrleansNodes.Protocols.Tests.Exploration.ExplorerKeyValueMutantTests.QuietFaults with { MaxStates = 5_000_000 };
        foreach (var (label, bounds) in new[] { ("three delays", options), ("quiet faults", quiet) })
        {
            foreach (var mutant in mutants)
            {
                var random = OrleansNodes.Protocols.Tests.Mutants.KeyValue.KeyValueMutantHunt.Cases.FirstOrDefault(c => c.Mutant.GetType() == mutant.GetType())?.Options
                    ?? OrleansNodes.Protocols.Tests.Mutants.KeyValue.KeyValueMutantHunt.Options;
                yield return label + ": " + Line(mutant, settings, bounds, OrleansNodes.Protocols.Tests.Mutants.KeyValue.KeyValueMutantHunt.Simulator(mutant), random);
            }

            // The read path's mutant, hunted by the random simulator as its tests hunt it: the leader cut off, clients behind gateways.
            var stale = new OrleansNodes.Protocols.Tests.Mutants.KeyValue.ReadsWithoutConfirmation();
            var staleSimulator = OrleansNodes.Protocols.Tests.Mutants.KeyValue.ReadPathHuntTests.Simulator(stale);
            yield return label + ": " + Line(stale, settings, bounds, staleSimulator, OrleansNodes.Protocols.Tests.Mutants.KeyValue.ReadPathHuntTests.LeaderIsolated);
        }
    }

    private static string Line(
        Protocol<KeyValueSettings, KeyValueState, KeyValueMessage, KeyValueCommand, KeyValueReply> mutant,
        KeyValueSettings settings,
        ExplorationOptions options,
        Simulator<KeyValueSettings, KeyValueState, KeyValueMessage, KeyValueCommand, KeyValueReply> simulator,
        SimulationOptions random)
    {
        GC.Collect();
        var report = Simulator.Create(mutant, settings).WithExplorationClients(ExplorationScripts.KeyValue).Explore(options);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var hunt = simulator.RunSuite(3_000, random with { Shrink = false }, firstSeed: 1);
        var randomFind = watch.Elapsed;
        var shrunk = hunt.Violation is null ? null : simulator.RunSuite(3_000, random, firstSeed: hunt.Violation.Seed).Violation;
        int? actions = shrunk is null ? null : OrleansNodes.Protocols.Tests.Mutants.Counterexamples.Actions(simulator, shrunk.Schedule);
        var found = report.Violation is { } v ? $"'{v.Property}' after {v.Actions} actions ({v.Decisions.Length} decisions)" : report.CutShort ? "nothing (cut short)" : "nothing";
        return $"{mutant.GetType().Name}: explorer {report.Elapsed.TotalSeconds:F1} s, {report.UniqueStates:N0} states, {found} | random simulator first violation after {hunt.Runs:N0} runs, {randomFind.TotalSeconds:F1} s; shrunk {shrunk?.Schedule.Decisions.Length} decisions, {actions} actions with the work its rounds owe";
    }
}

/// <summary>
/// The crash mutants, out of reach of the tests' bounds: a depth-first search bounded at the depth
/// their counterexamples need (about 16 actions with one crash), on a budget of states.
/// </summary>
internal static class ExploreCrashMutants
{
    public static IEnumerable<string> Run()
    {
        var settings = new PaxosSettings(ProposeOnStart: false, RetryTicksMin: 1, RetryTicksMax: 2);
        var options = new ExplorationOptions
        {
            Nodes = 3, Clients = 2, MaxCrashes = 1, CheckRecovery = false, MaxDepth = 17,
            Order = SearchOrder.DepthFirst, Threads = 2, MaxStates = 150_000_000,
        };
        foreach (var mutant in new OrleansNodes.Protocols.Tests.Mutants.PaxosMutant[] { new OrleansNodes.Protocols.Tests.Mutants.ForgetfulAcceptor(), new OrleansNodes.Protocols.Tests.Mutants.PromiseNotWritten() })
        {
            GC.Collect();
            var report = Simulator.Create(mutant, settings).WithExplorationClients(ExplorationScripts.Paxos).Explore(options);
            yield return $"{mutant.GetType().Name}: depth-first to depth {options.MaxDepth}, {report.UniqueStates:N0} states in {report.Elapsed.TotalSeconds:F0} s ({report.UniquePerSecond:N0}/s, {(report.CutShort ? "cut short by " + report.CutShortBy : "complete to the depth")}) | {(report.Violation is { } v ? $"'{v.Property}' after {v.Actions} actions" : "no violation")}";
        }
    }
}
