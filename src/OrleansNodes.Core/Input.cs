namespace OrleansNodes.Core;

/// <summary>
/// Everything that can reach a node: a message from a peer, a <see cref="Tick"/> (the only way
/// time reaches protocol code), or a request from a client. A node blocks only while waiting
/// for the next input (seed rule 1); it never waits for a reply inside a step.
/// </summary>
/// <remarks>
/// Protocols usually alias the closed type, e.g.
/// <c>global using PaxosInput = OrleansNodes.Core.Input&lt;PaxosMessage, PaxosCommand&gt;;</c>,
/// and dispatch with one switch over <c>PaxosInput.Receive</c>, <c>PaxosInput.Tick</c> and
/// <c>PaxosInput.Request</c>.
/// </remarks>
[GenerateSerializer, Immutable, Alias("on.Input`2")]
public abstract record Input<TMessage, TRequest>
{
    private Input() { }

    /// <summary>A message sent by <paramref name="From"/>.</summary>
    [GenerateSerializer, Immutable, Alias("on.Input.Receive`2")]
    public sealed record Receive([property: Id(0)] NodeId From, [property: Id(1)] TMessage Message) : Input<TMessage, TRequest>
    {
        /// <inheritdoc/>
        public override string ToString() => $"{From} → {Message}";
    }

    /// <summary>One unit of logical time. Timeouts are counts of ticks (seed rule 2).</summary>
    [GenerateSerializer, Immutable, Alias("on.Input.Tick`2")]
    public sealed record Tick : Input<TMessage, TRequest>
    {
        /// <summary>The one tick instance: ticks carry no data, so there is no reason to allocate them.</summary>
        public static readonly Tick Instance = new();

        /// <inheritdoc/>
        public override string ToString() => "tick";
    }

    /// <summary>A client request, named by client and sequence number for at-most-once handling.</summary>
    [GenerateSerializer, Immutable, Alias("on.Input.Request`2")]
    public sealed record Request([property: Id(0)] ClientId Client, [property: Id(1)] long Sequence, [property: Id(2)] TRequest Command) : Input<TMessage, TRequest>
    {
        /// <inheritdoc/>
        public override string ToString() => $"{Client}#{Sequence} {Command}";
    }
}
