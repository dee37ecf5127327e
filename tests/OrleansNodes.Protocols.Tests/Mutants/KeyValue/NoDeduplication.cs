using OrleansNodes.Protocols.KeyValue;

namespace OrleansNodes.Protocols.Tests.Mutants.KeyValue;

/// <summary>The dedup table is ignored: a retried command is proposed and executed again.</summary>
public sealed class NoDeduplication : KeyValueMutant
{
    /// <summary>Wraps the store with its dedup seams broken.</summary>
    public NoDeduplication() : base(new Forgetting()) { }

    /// <inheritdoc/>
    public override string Bug => "a retried command is executed again";

    /// <inheritdoc/>
    public override string ExpectedViolation => KeyValueProperties.AppliedOnce.Name;

    private sealed class Forgetting : KeyValueProtocol
    {
        protected override bool IsApplied(KeyValueStore store, ClientId client, long sequence) => false;

        // Applied as if the store had never seen the batch's clients.
        protected override KeyValueStore ApplyBatch(KeyValueStore store, long slot, KeyValueBatch batch, int sessionsMax, Action<ClientCommand, KeyValueReply>? reply) =>
            base.ApplyBatch(store with { Sessions = store.Sessions.RemoveRange(batch.Commands.Select(c => c.Client)) }, slot, batch, sessionsMax, reply);
    }
}
