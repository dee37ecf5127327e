namespace OrleansNodes.Simulation;

/// <summary>How many runs of a swarm suite drew one kind of configuration ("4 nodes", "Drop", "no faults", "boundary crashes").</summary>
public sealed record ConfigurationCount(string Kind, int Runs);
