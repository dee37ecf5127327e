namespace OrleansNodes.Simulation.Counterexamples;

/// <summary>The property a replayed schedule violated.</summary>
/// <param name="Property">The property's name.</param>
/// <param name="Kind">How it is judged.</param>
/// <param name="Message">One line saying what went wrong.</param>
/// <param name="Step">Steps taken when it was found.</param>
/// <param name="EventIndex">The index in <see cref="Counterexample.Events"/> of the decision after which it failed, or -1 when it failed at the end of the run (liveness, the workload's verdict).</param>
public sealed record TraceViolation(string Property, PropertyKind Kind, string Message, long Step, int EventIndex);
