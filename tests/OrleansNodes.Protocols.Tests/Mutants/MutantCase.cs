using OrleansNodes.Simulation;

namespace OrleansNodes.Protocols.Tests.Mutants;

/// <summary>A mutant and the simulation options it is hunted with.</summary>
public sealed record MutantCase(PaxosMutant Mutant, SimulationOptions Options)
{
    /// <inheritdoc/>
    public override string ToString() => Mutant.GetType().Name;
}
