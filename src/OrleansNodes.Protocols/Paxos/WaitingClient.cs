namespace OrleansNodes.Protocols.Paxos;

/// <summary>A client request that is answered when this node learns the chosen value.</summary>
[GenerateSerializer, Immutable, Alias("on.paxos.WaitingClient")]
public readonly record struct WaitingClient([property: Id(0)] ClientId Client, [property: Id(1)] long Sequence)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Client}#{Sequence}";
}
