using OrleansNodes.Simulation;

namespace OrleansNodes.Protocols.Tests.Mutants;

/// <summary>A mutant's counterexample, and how many seeded runs it took to find.</summary>
public sealed record MutantFinding(Violation Violation, int Runs)
{
    /// <summary>Decisions in the shrunk schedule.</summary>
    public int ShrunkDecisions => Violation.Schedule.Decisions.Length;
}
