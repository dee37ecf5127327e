using OrleansNodes.Protocols.KeyValue;

namespace OrleansNodes.Protocols.Tests.Mutants.KeyValue;

/// <summary>
/// A snapshot is written before the entries it covers are applied: it is labelled with the
/// applied index the step reached, but holds the store as it was before the step applied
/// anything. A replica that recovers from it believes it has applied slots whose effects it
/// lacks, and goes on from a store no other replica had at that index.
/// </summary>
public sealed class SnapshotBeforeApply : KeyValueMutant
{
    /// <inheritdoc/>
    public override string Bug => "a snapshot is written before the entries it covers are applied";

    /// <inheritdoc/>
    public override string ExpectedViolation => KeyValueProperties.AppliedPrefix.Name;

    /// <inheritdoc/>
    protected override void PassWrites(KeyValueState before, KeyValueState after, DurableWriter written, DurableWriter host)
    {
        if (written.PendingSnapshot is { } snapshot && before.Store.AppliedIndex < snapshot.Index)
        {
            var stale = before.Store.Chunks(long.MaxValue).Select(chunk => (object)(chunk with { AppliedIndex = snapshot.Index }));
            host.Snapshot(snapshot.Index, stale);
            foreach (var put in written.PendingPuts) host.Put(put.Index, put.Entry);
            return;
        }
        base.PassWrites(before, after, written, host);
    }
}
