namespace OrleansNodes.Core;

/// <summary>
/// A client session. Together with a per-client sequence number it names one request, so a
/// retried request can be recognised and answered without being applied twice.
/// </summary>
[GenerateSerializer, Immutable, Alias("on.ClientId")]
public readonly record struct ClientId([property: Id(0)] long Value)
{
    /// <summary>Prints as <c>c7</c>.</summary>
    public override string ToString() => "c" + Value;
}
