using OrleansNodes.Protocols.KeyValue;

namespace OrleansNodes.Protocols.Tests.Mutants.KeyValue;

/// <summary>Replicas apply chosen slots as they learn them, skipping gaps: replicas then apply different sequences.</summary>
public sealed class ApplyOutOfOrder : KeyValueMutant
{
    /// <summary>Wraps the store with its <c>NextToApply</c> seam broken.</summary>
    public ApplyOutOfOrder() : base(new SkippingGaps()) { }

    /// <inheritdoc/>
    public override string Bug => "replicas apply chosen slots past a gap";

    /// <summary>A slot applied early is applied again when the gap fills, which the executed count shows first.</summary>
    public override string ExpectedViolation => KeyValueProperties.AppliedOnce.Name;

    private sealed class SkippingGaps : KeyValueProtocol
    {
        protected override SlotEntry? NextToApply(ImmutableSortedDictionary<long, LogEntry> log, long applied, Ballot? ballot, long commitIndex)
        {
            if (base.NextToApply(log, applied, ballot, commitIndex) is { } next) return next;
            foreach (var (later, entry) in log)
                if (later > applied + 1 && entry.Chosen) return new SlotEntry(later, entry);
            return null;
        }
    }
}
