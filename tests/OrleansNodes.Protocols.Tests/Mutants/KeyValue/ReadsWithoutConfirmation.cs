using OrleansNodes.Protocols.KeyValue;

namespace OrleansNodes.Protocols.Tests.Mutants.KeyValue;

/// <summary>
/// The store with gets answered as soon as the store has applied their read index, without the
/// heartbeat round that confirms the leader still leads. A deposed leader that has not noticed
/// then serves a value a newer leader has overwritten: KeyValueProtocolTests drives it into that
/// state by hand, <see cref="ReadPathHuntTests"/> by seeded runs that isolate the leader while
/// clients behind the other nodes write elsewhere (docs/design-decisions.md §13).
/// </summary>
public sealed class ReadsWithoutConfirmation : KeyValueProtocol
{
    /// <inheritdoc/>
    protected override long ConfirmedRound(ReadBarrier reads) => long.MaxValue;
}
