using OrleansNodes.Simulation;

namespace OrleansNodes.Protocols.Tests.Mutants;

/// <summary>A mutant's counterexample, and how many seeded runs and simulated steps it took to find.</summary>
public sealed record MutantFinding(Violation Violation, int Runs, long Steps)
{
    /// <summary>Decisions in the shrunk schedule.</summary>
    public int ShrunkDecisions => Violation.Schedule.Decisions.Length;
}
