using OrleansNodes.Protocols.Tests.Mutants;
using OrleansNodes.Protocols.Tests.Mutants.KeyValue;
using OrleansNodes.Simulation;

namespace OrleansNodes.Benchmarks;

/// <summary>
/// How short shrinking makes each mutant's counterexamples: the first few violations from seed 1
/// under the mutant's hunt options, with their length in decisions before and after shrinking
/// (docs/BENCHMARKS.md, "Shrunk counterexamples"). Lengths, not times: any build configuration gives the same figures.
/// </summary>
public static class ShrinkLengths
{
    /// <summary>One counterexample.</summary>
    public sealed record Result(string Mutant, ulong Seed, int Original, int Shrunk, string Signature, string Kinds);

    /// <summary>
    /// The first <paramref name="findings"/> counterexamples of every Paxos and key-value mutant,
    /// or of those whose name contains <paramref name="only"/>.
    /// </summary>
    public static IEnumerable<Result> Run(int findings, string? only = null)
    {
        var hunts = MutantHunt.Cases.Select(c => (Name: c.ToString(), Find: (Func<ulong, MutantFinding?>)(seed => MutantHunt.Find(c, 5_000, seed))))
            .Concat(KeyValueMutantHunt.Cases.Concat(KeyValueMutantHunt.SwarmCases).Select(c => (Name: c.ToString(), Find: (Func<ulong, MutantFinding?>)(seed => KeyValueMutantHunt.Find(c, 3_000, seed)))))
            .Concat(ReadPathHunts())
            .Where(hunt => only is null || hunt.Name.Contains(only, StringComparison.OrdinalIgnoreCase));
        foreach (var (name, find) in hunts)
        {
            var seed = 1UL;
            for (var found = 0; found < findings; found++)
            {
                if (find(seed) is not { } finding) break;
                var v = finding.Violation;
                var kinds = string.Join(", ", v.Schedule.Decisions.GroupBy(d => d.Kind).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}"))
                    + (v.Schedule.Options.Faults.HasFlag(FaultKinds.Skew) ? v.Schedule.FastClocks ? " | fast clocks" : " | nominal clocks" : "");
                yield return new Result(name, v.Seed, v.OriginalDecisions, v.Schedule.Decisions.Length, v.Signature, kinds);
                seed = v.Seed + 1;
            }
        }
    }

    /// <summary>The read path's mutant, hunted as its tests hunt it (<see cref="ReadPathHuntTests"/>), with the key-value hunts' shrink budget.</summary>
    private static IEnumerable<(string Name, Func<ulong, MutantFinding?> Find)> ReadPathHunts()
    {
        var options = ReadPathHuntTests.LeaderIsolated with { MaxShrinkReplays = KeyValueMutantHunt.Options.MaxShrinkReplays };
        var simulator = ReadPathHuntTests.Simulator(new ReadsWithoutConfirmation());
        yield return ($"{nameof(ReadsWithoutConfirmation)} (kv, leader cut off, gateways)", seed =>
            simulator.RunSuite(3_000, options, seed) is { Violation: { } violation } report ? new MutantFinding(violation, report.Runs, report.Steps) : null);
    }
}
