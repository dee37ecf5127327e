using OrleansNodes.Simulation;
using Xunit.Abstractions;

namespace OrleansNodes.Protocols.Tests.Mutants;

/// <summary>
/// Each deliberately broken Paxos must be caught by the simulator, for the right reason, with a
/// counterexample short enough to read: otherwise the suites' silence about the real protocol
/// would mean little.
/// </summary>
public class MutantTests(ITestOutputHelper output)
{
    private const int MaxSeeds = 5_000;
    private const int Findings = 5;
    private const int MaxShrunkDecisions = 40;

    public static TheoryData<string> Mutants => [.. MutantHunt.Cases.Select(c => c.ToString())];

    [Theory]
    [MemberData(nameof(Mutants))]
    public void FindShortest_Mutant_ViolatesTheExpectedPropertyWithAShortShrunkSchedule(string name)
    {
        var mutantCase = MutantHunt.Case(name);

        var (shortest, all) = MutantHunt.FindShortest(mutantCase, MaxSeeds, Findings);

        var finding = shortest ?? throw new Xunit.Sdk.XunitException($"{name} ({mutantCase.Mutant.Bug}) survived {MaxSeeds} seeds");
        foreach (var each in all)
            output.WriteLine($"{name}: seed {each.Violation.Seed} after {each.Runs} runs ({each.Steps} steps), '{each.Violation.Property}', {each.Violation.OriginalDecisions} decisions shrunk to {each.ShrunkDecisions}");
        output.WriteLine(finding.Violation.ToString());
        Assert.Equal(mutantCase.Mutant.ExpectedViolation, finding.Violation.Property);
        Assert.InRange(finding.ShrunkDecisions, 1, MaxShrunkDecisions);
    }

    [Theory]
    [MemberData(nameof(Mutants))]
    public void Replay_ShrunkSchedule_ViolatesTheSamePropertyAgain(string name)
    {
        var mutantCase = MutantHunt.Case(name);
        var violation = MutantHunt.Find(mutantCase, MaxSeeds)!.Violation;

        var replay = Simulator.Create(mutantCase.Mutant, MutantHunt.Settings).Replay(violation.Schedule);

        Assert.Equal(violation.Property, replay.Violation?.Property);
    }
}
