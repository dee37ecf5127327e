namespace OrleansNodes.Simulation;

/// <summary>Progress of a suite, reported after every run.</summary>
/// <param name="RunsCompleted">Runs finished so far.</param>
/// <param name="RunsTotal">Runs the suite will make unless one fails.</param>
/// <param name="Steps">Steps taken so far, over all runs.</param>
/// <param name="Violations">Runs that failed so far (a suite stops at the first).</param>
public readonly record struct SuiteProgress(int RunsCompleted, int RunsTotal, long Steps, int Violations);
