namespace OrleansNodes.Simulation.Engine;

/// <summary>A client request on its way to a node.</summary>
internal struct PendingRequest<TRequest>
{
    public long Client;
    public long Sequence;
    public int Node;
    public TRequest Command;
}
