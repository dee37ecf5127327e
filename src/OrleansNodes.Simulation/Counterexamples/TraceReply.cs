namespace OrleansNodes.Simulation.Counterexamples;

/// <summary>A reply a node's flush released to a client.</summary>
/// <param name="Node">The node that answered.</param>
/// <param name="Client">The client.</param>
/// <param name="Sequence">The sequence number of the request it answers.</param>
/// <param name="Reply">The reply in the structural text form.</param>
public sealed record TraceReply(int Node, long Client, long Sequence, string Reply);
