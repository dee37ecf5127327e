namespace OrleansNodes.Simulation;

/// <summary>How many runs of a suite reached one <c>Sometimes</c> goal.</summary>
/// <param name="Name">The goal's property name.</param>
/// <param name="RunsReached">Runs in which it held at some step.</param>
public sealed record GoalReport(string Name, int RunsReached);
