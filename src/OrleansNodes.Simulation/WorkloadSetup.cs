namespace OrleansNodes.Simulation;

/// <summary>What a workload factory gets for one run.</summary>
/// <param name="Seed">A seed derived from the run's seed, for the clients' own choices.</param>
/// <param name="Nodes">Number of nodes.</param>
/// <param name="Options">The run's options.</param>
public sealed record WorkloadSetup(ulong Seed, int Nodes, SimulationOptions Options);
