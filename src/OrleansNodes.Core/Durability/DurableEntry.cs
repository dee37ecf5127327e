namespace OrleansNodes.Core;

/// <summary>One log entry as the durable log holds it: its index and the protocol's entry record.</summary>
public readonly record struct DurableEntry(long Index, object Entry)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Index}: {Entry}";
}
