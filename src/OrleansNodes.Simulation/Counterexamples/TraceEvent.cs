namespace OrleansNodes.Simulation.Counterexamples;

/// <summary>
/// One decision of a replayed schedule, as it happened: what it was, what it did to the network
/// and to the clients, and how it changed the nodes' states.
/// </summary>
/// <remarks>
/// A message is released by a flush (a <see cref="DecisionKind.Flush"/>, or the flushes that end a
/// <see cref="DecisionKind.Round"/>): that event lists it in <see cref="Sends"/> with a
/// <see cref="TraceSend.MessageId"/>; the later <c>deliver</c>, <c>drop</c> or <c>dup</c> of it
/// carries the same <see cref="MessageId"/>. A duplicated message keeps its id, so it may be
/// delivered twice.
/// </remarks>
public sealed record TraceEvent
{
    /// <summary>The decision's index in the schedule (0-based).</summary>
    public required int Index { get; init; }

    /// <summary>The round the decision was taken in.</summary>
    public required long Round { get; init; }

    /// <summary>
    /// Whether this step was owed by the <c>round</c> at <see cref="Index"/> rather than named by
    /// the schedule: a round's ticks, due deliveries and client requests are implied by it, and a
    /// shrunk schedule leaves them out (see <see cref="DecisionKind.Round"/>).
    /// </summary>
    public bool Owed { get; init; }

    /// <summary>What the decision does.</summary>
    public required DecisionKind Kind { get; init; }

    /// <summary>The node that steps, or a message's or link's source (see <see cref="Decision.Node"/>).</summary>
    public required int Node { get; init; }

    /// <summary>A message's or link's target (see <see cref="Decision.Peer"/>).</summary>
    public required int Peer { get; init; }

    /// <summary>A message's ordinal on its link, or a request's sequence number (see <see cref="Decision.Number"/>).</summary>
    public required long Number { get; init; }

    /// <summary>A request's client, or the rounds a delay holds its message (see <see cref="Decision.Client"/>).</summary>
    public required long Client { get; init; }

    /// <summary>The decision in its schedule text form, such as <c>deliver n1->n0 #3</c>.</summary>
    public required string Label { get; init; }

    /// <summary>The decision's line of the readable trace (what <see cref="ISimulation.Trace"/> prints for it).</summary>
    public required string Text { get; init; }

    /// <summary>What became of the message or request this decision acted on.</summary>
    public TraceOutcome Outcome { get; init; }

    /// <summary>For <c>deliver</c>, <c>drop</c> and <c>dup</c>: the id of the message acted on (see <see cref="TraceSend.MessageId"/>), or -1.</summary>
    public long MessageId { get; init; } = -1;

    /// <summary>The message or request command acted on, in the structural text form.</summary>
    public string? Message { get; init; }

    /// <summary>Messages the decision's flushes released into the network.</summary>
    public ImmutableArray<TraceSend> Sends { get; init; } = [];

    /// <summary>Client requests that entered the network during the decision (a round's or a reply's new requests).</summary>
    public ImmutableArray<TraceRequest> Requests { get; init; } = [];

    /// <summary>Client replies the decision's flushes released.</summary>
    public ImmutableArray<TraceReply> Replies { get; init; } = [];

    /// <summary>What changed in the nodes' states, member by member (a step, a crash's rollback, a restart's recovery).</summary>
    public ImmutableArray<StateChange> Changes { get; init; } = [];
}
