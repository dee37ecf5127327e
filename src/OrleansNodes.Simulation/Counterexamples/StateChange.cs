namespace OrleansNodes.Simulation.Counterexamples;

/// <summary>One member of a node's state that a decision changed (see <see cref="StructuralDiff.Describe"/>).</summary>
/// <param name="Node">The node.</param>
/// <param name="Path">The member, dotted for nested records (<c>leader.ballot</c>); <c>state</c> for the whole state.</param>
/// <param name="Before">Its value before, in the structural text form.</param>
/// <param name="After">Its value after.</param>
public sealed record StateChange(int Node, string Path, string Before, string After);
