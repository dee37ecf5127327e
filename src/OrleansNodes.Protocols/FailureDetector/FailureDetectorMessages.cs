namespace OrleansNodes.Protocols.FailureDetector;

/// <summary>
/// Messages between failure-detector nodes. There is one and it has no reply: a heartbeat
/// is its own evidence, and an acknowledgement would only double the traffic.
/// </summary>
[GenerateSerializer, Immutable, Alias("on.fd.Message")]
public abstract record FailureDetectorMessage
{
    private FailureDetectorMessage() { }

    /// <summary>"I am alive." Sent to every peer every <see cref="FailureDetectorSettings.HeartbeatIntervalTicks"/> ticks.</summary>
    [GenerateSerializer, Immutable, Alias("on.fd.Heartbeat")]
    public sealed record Heartbeat : FailureDetectorMessage
    {
        /// <summary>Heartbeats carry no data, so one instance serves every send.</summary>
        public static readonly Heartbeat Instance = new();

        /// <inheritdoc/>
        public override string ToString() => "Heartbeat";
    }
}

/// <summary>Client requests to a failure-detector node.</summary>
[GenerateSerializer, Immutable, Alias("on.fd.Command")]
public abstract record FailureDetectorCommand
{
    private FailureDetectorCommand() { }

    /// <summary>Asks which peers the node currently suspects.</summary>
    [GenerateSerializer, Immutable, Alias("on.fd.Suspects")]
    public sealed record Suspects : FailureDetectorCommand
    {
        /// <summary>The request carries no data, so one instance serves every request.</summary>
        public static readonly Suspects Instance = new();

        /// <inheritdoc/>
        public override string ToString() => "Suspects";
    }
}

/// <summary>Replies to <see cref="FailureDetectorCommand"/>s.</summary>
[GenerateSerializer, Immutable, Alias("on.fd.Reply")]
public abstract record FailureDetectorReply
{
    private FailureDetectorReply() { }

    /// <summary>The peers suspected when the request was stepped, in id order.</summary>
    [GenerateSerializer, Immutable, Alias("on.fd.Suspected")]
    public sealed record Suspected([property: Id(0)] ImmutableArray<NodeId> Peers) : FailureDetectorReply
    {
        /// <inheritdoc/>
        public bool Equals(Suspected? other) => other is not null && Peers.SequenceEqual(other.Peers);

        /// <inheritdoc/>
        public override int GetHashCode() => Peers.Length;

        /// <inheritdoc/>
        public override string ToString() => $"Suspected([{string.Join(", ", Peers)}])";
    }
}
