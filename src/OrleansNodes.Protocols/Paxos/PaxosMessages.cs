namespace OrleansNodes.Protocols.Paxos;

/// <summary>
/// Messages between Paxos nodes, in request/reply pairs (Paxos Made Simple §2.2–2.3):
/// <see cref="Prepare"/>/<see cref="Promise"/> is phase 1, <see cref="Accept"/>/<see cref="Accepted"/>
/// phase 2. An acceptor answers a request below its promise with a <see cref="Nack"/> so the
/// proposer stops waiting, and a node that already learned the value answers any request with
/// <see cref="Decided"/> so late proposers catch up instead of running another ballot.
/// </summary>
[GenerateSerializer, Immutable, Alias("on.paxos.Message")]
public abstract record PaxosMessage
{
    private PaxosMessage() { }

    /// <summary>Phase 1a: "promise never again to accept a proposal numbered less than <see cref="Ballot"/>".</summary>
    [GenerateSerializer, Immutable, Alias("on.paxos.Prepare")]
    public sealed record Prepare([property: Id(0)] Ballot Ballot) : PaxosMessage
    {
        /// <inheritdoc/>
        public override string ToString() => $"Prepare({Ballot})";
    }

    /// <summary>
    /// Phase 1b: the promise, with the highest-numbered proposal the acceptor has accepted, if
    /// any (the "LastVote" of The Part-Time Parliament).
    /// </summary>
    [GenerateSerializer, Immutable, Alias("on.paxos.Promise")]
    public sealed record Promise([property: Id(0)] Ballot Ballot, [property: Id(1)] Vote? LastVote) : PaxosMessage
    {
        /// <inheritdoc/>
        public override string ToString() => $"Promise({Ballot}, {LastVote?.ToString() ?? "none"})";
    }

    /// <summary>Phase 2a: accept <see cref="Value"/> in <see cref="Ballot"/>.</summary>
    [GenerateSerializer, Immutable, Alias("on.paxos.Accept")]
    public sealed record Accept([property: Id(0)] Ballot Ballot, [property: Id(1)] string Value) : PaxosMessage
    {
        /// <inheritdoc/>
        public override string ToString() => $"Accept({Ballot}, {Value})";
    }

    /// <summary>Phase 2b, sent to every learner (§2.3's "each acceptor informs all learners").</summary>
    [GenerateSerializer, Immutable, Alias("on.paxos.Accepted")]
    public sealed record Accepted([property: Id(0)] Ballot Ballot, [property: Id(1)] string Value) : PaxosMessage
    {
        /// <inheritdoc/>
        public override string ToString() => $"Accepted({Ballot}, {Value})";
    }

    /// <summary>The refusal of a <see cref="Prepare"/> or <see cref="Accept"/> for <see cref="Ballot"/>: the acceptor has promised <see cref="Promised"/>.</summary>
    [GenerateSerializer, Immutable, Alias("on.paxos.Nack")]
    public sealed record Nack([property: Id(0)] Ballot Ballot, [property: Id(1)] Ballot Promised) : PaxosMessage
    {
        /// <inheritdoc/>
        public override string ToString() => $"Nack({Ballot}, promised {Promised})";
    }

    /// <summary>The answer of a node that has learned the chosen value: catch-up for proposers and learners that missed it.</summary>
    [GenerateSerializer, Immutable, Alias("on.paxos.Decided")]
    public sealed record Decided([property: Id(0)] string Value) : PaxosMessage
    {
        /// <inheritdoc/>
        public override string ToString() => $"Decided({Value})";
    }
}

/// <summary>Client requests to a Paxos node.</summary>
[GenerateSerializer, Immutable, Alias("on.paxos.Command")]
public abstract record PaxosCommand
{
    private PaxosCommand() { }

    /// <summary>Asks the cluster to choose <see cref="Value"/>. Answered with the value actually chosen, which may be another.</summary>
    [GenerateSerializer, Immutable, Alias("on.paxos.Propose")]
    public sealed record Propose([property: Id(0)] string Value) : PaxosCommand
    {
        /// <inheritdoc/>
        public override string ToString() => $"Propose({Value})";
    }
}

/// <summary>Replies to <see cref="PaxosCommand"/>s.</summary>
[GenerateSerializer, Immutable, Alias("on.paxos.Reply")]
public abstract record PaxosReply
{
    private PaxosReply() { }

    /// <summary>The single value the cluster chose.</summary>
    [GenerateSerializer, Immutable, Alias("on.paxos.Chosen")]
    public sealed record Chosen([property: Id(0)] string Value) : PaxosReply
    {
        /// <inheritdoc/>
        public override string ToString() => $"Chosen({Value})";
    }
}
