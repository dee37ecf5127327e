namespace OrleansNodes.Simulation.Linearizability;

/// <summary>The verdict for one key of a history, with the search effort it took.</summary>
public sealed record KeyCheckResult(string Key, Verdict Verdict, int Operations, long Steps);
