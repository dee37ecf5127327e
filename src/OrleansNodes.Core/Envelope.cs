namespace OrleansNodes.Core;

/// <summary>A message a step asks the host to send. Hosts deliver it as a one-way call, or drop it.</summary>
[GenerateSerializer, Immutable, Alias("on.Envelope`1")]
public readonly record struct Envelope<TMessage>(
    [property: Id(0)] NodeId From,
    [property: Id(1)] NodeId To,
    [property: Id(2)] TMessage Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"{From}→{To} {Message}";
}
