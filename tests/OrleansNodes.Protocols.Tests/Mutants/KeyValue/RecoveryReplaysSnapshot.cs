using OrleansNodes.Protocols.KeyValue;

namespace OrleansNodes.Protocols.Tests.Mutants.KeyValue;

/// <summary>
/// Recovery replays the durable log from its first entry on top of the snapshot, including the
/// entries the snapshot already contains (the key-value store keeps a few applied entries in the
/// log past the snapshot, to catch up peers). The dedup table makes each client command
/// idempotent, so the map may look right; the applied sequence is not: the replica's history
/// has slots applied twice.
/// </summary>
public sealed class RecoveryReplaysSnapshot : KeyValueMutant
{
    /// <inheritdoc/>
    public override string Bug => "recovery replays log entries the snapshot already contains";

    /// <inheritdoc/>
    public override string ExpectedViolation => KeyValueProperties.AppliedPrefix.Name;

    /// <inheritdoc/>
    public override KeyValueState Recover(NodeConfig<KeyValueSettings> config, DurableImage image)
    {
        var recovered = Inner.Recover(config, image);
        if (image.Snapshot is not { } snapshot || !image.Log.Keys.Any(slot => slot <= snapshot.Index)) return recovered;

        var store = KeyValueStore.FromChunks(snapshot.Chunks.Cast<KeyValueChunk>());
        foreach (var (slot, entry) in image.Entries<LogEntry>())
            if (slot <= recovered.Store.AppliedIndex) store = store.Apply(slot, entry.Value, config.Settings.SessionsMax, reply: null);
        return recovered with { Store = store };
    }
}
