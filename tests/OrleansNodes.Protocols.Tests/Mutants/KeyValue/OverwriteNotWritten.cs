using OrleansNodes.Protocols.KeyValue;

namespace OrleansNodes.Protocols.Tests.Mutants.KeyValue;

/// <summary>
/// An acceptor writes a slot the first time it accepts a value there, but not when a newer
/// ballot's value replaces it: the <c>Accepted</c> for the newer value leaves although only the
/// older one is durable. After a crash the acceptor reports the older value again, and a later
/// leader can re-propose it over the value that was chosen.
/// </summary>
public sealed class OverwriteNotWritten : KeyValueMutant
{
    /// <inheritdoc/>
    public override string Bug => "an accepted value that replaces an older one is not written before its Accepted is sent";

    /// <inheritdoc/>
    public override string ExpectedViolation => KeyValueProperties.Agreement.Name;

    /// <inheritdoc/>
    protected override void PassWrites(KeyValueState before, KeyValueState after, DurableWriter written, DurableWriter host)
    {
        if (written.PendingSnapshot is { } snapshot) host.Snapshot(snapshot.Index, snapshot.Chunks);
        foreach (var put in written.PendingPuts)
            if (written.PendingSnapshot is not null || !before.Log.ContainsKey(put.Index)) host.Put(put.Index, put.Entry);
    }
}
