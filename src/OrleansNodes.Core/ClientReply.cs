namespace OrleansNodes.Core;

/// <summary>An answer to the client request named by <see cref="Client"/> and <see cref="Sequence"/>.</summary>
[GenerateSerializer, Immutable, Alias("on.ClientReply`1")]
public readonly record struct ClientReply<TReply>(
    [property: Id(0)] ClientId Client,
    [property: Id(1)] long Sequence,
    [property: Id(2)] TReply Reply)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Client}#{Sequence} ← {Reply}";
}
