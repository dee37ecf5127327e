namespace OrleansNodes.Core;

/// <summary>
/// A snapshot of a protocol's state machine up to <see cref="Index"/>, as a sequence of chunks
/// (protocol records) so that no single write or message has to hold all of it. When a step
/// writes one, <see cref="Chunks"/> is enumerated by the host at flush time, so the step itself
/// stays cheap; the enumeration must read only immutable data.
/// </summary>
public sealed record DurableSnapshot(long Index, IEnumerable<object> Chunks)
{
    /// <inheritdoc/>
    public override string ToString() => $"snapshot@{Index}";
}
