using OrleansNodes.Protocols.KeyValue;

namespace OrleansNodes.Protocols.Tests.Mutants.KeyValue;

/// <summary>
/// The leader answers a get as soon as its store has applied the get's read index, without the
/// heartbeat round that confirms it still leads. A deposed leader that has not noticed then
/// serves a value a newer leader has overwritten: only the clients' linearizability check sees it.
/// </summary>
public sealed class ReadsWithoutConfirmation : KeyValueMutant
{
    /// <summary>Wraps the store with its confirmation seam broken.</summary>
    public ReadsWithoutConfirmation() : base(new Unconfirmed()) { }

    /// <summary>The broken store itself, for scenario tests that drive a protocol step by step.</summary>
    public static KeyValueProtocol Protocol() => new Unconfirmed();

    /// <inheritdoc/>
    public override string Bug => "the leader answers gets without confirming it still leads";

    /// <inheritdoc/>
    public override string ExpectedViolation => "workload";

    private sealed class Unconfirmed : KeyValueProtocol
    {
        protected override long ConfirmedRound(ReadBarrier reads) => long.MaxValue;
    }
}
