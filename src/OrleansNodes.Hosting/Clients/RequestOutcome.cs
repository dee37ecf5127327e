using OrleansNodes.Core;

namespace OrleansNodes.Hosting.Clients;

/// <summary>
/// How a client request ended. A request that timed out or whose node failed to persist is
/// <see cref="Unknown"/>, never a failure: it may or may not have taken effect, and retrying
/// it with the same id is the only safe next step (the protocol deduplicates by id).
/// </summary>
[GenerateSerializer, Immutable, Alias("on.hosting.RequestOutcome")]
public abstract record RequestOutcome
{
    private RequestOutcome() { }

    /// <summary>
    /// The protocol answered: <paramref name="Reply"/> is its <c>TReply</c>, from node
    /// <paramref name="By"/>, which runs on silo <paramref name="NodeSilo"/>; the front door that
    /// took the request runs on <paramref name="GatewaySilo"/>. The two silos tell a client
    /// whether its request crossed between silos (<see cref="GatewayLanes"/>); either is null
    /// when not known (a reply from an older silo).
    /// </summary>
    [GenerateSerializer, Immutable, Alias("on.hosting.RequestOutcome.Replied")]
    public sealed record Replied(
        [property: Id(0)] object Reply,
        [property: Id(1)] NodeId By,
        [property: Id(2)] SiloAddress? NodeSilo = null,
        [property: Id(3)] SiloAddress? GatewaySilo = null) : RequestOutcome
    {
        /// <inheritdoc/>
        public override string ToString() => $"{Reply} (from {By})";
    }

    /// <summary>No answer: the request may or may not have taken effect.</summary>
    [GenerateSerializer, Immutable, Alias("on.hosting.RequestOutcome.Unknown")]
    public sealed record Unknown([property: Id(0)] string Reason) : RequestOutcome
    {
        /// <inheritdoc/>
        public override string ToString() => $"unknown outcome: {Reason}";
    }

    /// <summary>
    /// The request was not handed to the protocol at all (unknown cluster, wrong command type): it
    /// certainly did not take effect. <paramref name="Transient"/>: the same request may be taken
    /// later (a node whose cluster is being created and which has not started yet), so gateways
    /// and sessions try again until their deadline.
    /// </summary>
    [GenerateSerializer, Immutable, Alias("on.hosting.RequestOutcome.Rejected")]
    public sealed record Rejected([property: Id(0)] string Reason, [property: Id(1)] bool Transient = false) : RequestOutcome
    {
        /// <inheritdoc/>
        public override string ToString() => $"rejected: {Reason}";
    }
}
