namespace OrleansNodes.Protocols.KeyValue;

/// <summary>A client's command as the log carries it: named by (client, sequence) so it is applied at most once.</summary>
[GenerateSerializer, Immutable, Alias("on.kv.ClientCommand")]
public sealed record ClientCommand(
    [property: Id(0)] ClientId Client,
    [property: Id(1)] long Sequence,
    [property: Id(2)] KeyValueCommand Command)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Client}#{Sequence} {Command}";
}
