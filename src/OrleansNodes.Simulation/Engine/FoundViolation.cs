namespace OrleansNodes.Simulation.Engine;

/// <summary>
/// What the engine records when a property fails: enough to report it and to recognise it again
/// while shrinking. Its <c>Signature</c> is what a shrunk schedule must fail with again: the kind
/// and the property, and for a workload's verdict or a throwing step, the kind of failure (not
/// incomplete operations in place of a non-linearizable history, not another exception).
/// </summary>
internal sealed record FoundViolation(string Property, PropertyKind Kind, string Message, long Step, int DecisionIndex, string Signature);
