using OrleansNodes.Protocols.Tests.Mutants.KeyValue;
using Xunit.Abstractions;

namespace OrleansNodes.Protocols.Tests.Mutants;

/// <summary>
/// Not a check: prints, for every mutant, the first three counterexamples from seed 1 with their
/// length before and after shrinking (docs/BENCHMARKS.md, "Shrunk counterexamples").
/// </summary>
public class ShrinkLengths(ITestOutputHelper output)
{
    public static TheoryData<string> Mutants => [.. MutantHunt.Cases.Select(c => c.ToString()), .. KeyValueMutantHunt.Cases.Select(c => c.ToString())];

    [Theory]
    [Trait("Category", "Measurement")]
    [MemberData(nameof(Mutants))]
    public void Measure_Mutant_PrintsShrunkLengths(string name)
    {
        var seed = 1UL;
        for (var found = 0; found < 3; found++)
        {
            var finding = MutantHunt.Cases.Any(c => c.ToString() == name)
                ? MutantHunt.Find(MutantHunt.Case(name), 5_000, seed)
                : KeyValueMutantHunt.Find(KeyValueMutantHunt.Case(name), 3_000, seed);
            if (finding is null) break;
            var v = finding.Violation;
            output.WriteLine($"MEASURE {name} seed {v.Seed}: {v.OriginalDecisions} -> {v.Schedule.Decisions.Length} decisions, '{v.Property}': {v.Message.Split('\n')[0][..Math.Min(70, v.Message.Split('\n')[0].Length)]}");
            seed = v.Seed + 1;
        }
    }
}
