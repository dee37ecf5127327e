namespace OrleansNodes.Simulation.Counterexamples;

/// <summary>A client request entering the network, bound for a node.</summary>
/// <param name="Client">The client.</param>
/// <param name="Sequence">The request's sequence number at its client.</param>
/// <param name="Node">The node it is sent to.</param>
/// <param name="Command">The command in the structural text form.</param>
public sealed record TraceRequest(long Client, long Sequence, int Node, string Command);
