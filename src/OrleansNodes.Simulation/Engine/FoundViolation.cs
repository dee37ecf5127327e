namespace OrleansNodes.Simulation.Engine;

/// <summary>What the engine records when a property fails: enough to report it and to recognise it again while shrinking.</summary>
internal sealed record FoundViolation(string Property, PropertyKind Kind, string Message, long Step, int DecisionIndex);
