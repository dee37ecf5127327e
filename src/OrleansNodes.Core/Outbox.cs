using System.Collections.Immutable;

namespace OrleansNodes.Core;

/// <summary>
/// What one or more steps ask the host to do once the new state is persisted: messages to
/// peers and replies to clients. A value, never an action (STYLE 1).
/// </summary>
[GenerateSerializer, Immutable, Alias("on.Outbox`2")]
public sealed record Outbox<TMessage, TReply>(
    [property: Id(0)] ImmutableArray<Envelope<TMessage>> Sends,
    [property: Id(1)] ImmutableArray<ClientReply<TReply>> Replies)
{
    /// <summary>An outbox that asks for nothing.</summary>
    public static readonly Outbox<TMessage, TReply> Empty = new([], []);

    /// <summary>True when there is nothing to send and nothing to answer.</summary>
    public bool IsEmpty => Sends.IsDefaultOrEmpty && Replies.IsDefaultOrEmpty;

    /// <inheritdoc/>
    public bool Equals(Outbox<TMessage, TReply>? other) =>
        other is not null && Sends.SequenceEqual(other.Sends) && Replies.SequenceEqual(other.Replies);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Sends.Length, Replies.Length);
}
