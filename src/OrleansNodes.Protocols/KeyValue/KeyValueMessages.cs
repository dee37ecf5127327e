namespace OrleansNodes.Protocols.KeyValue;

// The messages replicas exchange, in request/reply pairs. Every message carries the sender's
// ballot: a replica that has promised a newer ballot answers with Preempted, so a deposed
// leader or a losing candidate learns quickly that it must stand down.

/// <summary>A message between key-value replicas.</summary>
[GenerateSerializer, Immutable, Alias("on.kv.KeyValueMessage")]
public abstract record KeyValueMessage;

/// <summary>
/// Pre-vote (Raft thesis §9.6): would the receiver promise <see cref="Ballot"/> if asked? It
/// changes nothing at the receiver, so a replica that was cut off and timed out over and over
/// cannot raise everyone's promise and depose a healthy leader when it comes back. It carries the
/// candidate's applied index: a replica that has compacted slots the candidate lacks could not
/// report them in a promise, and refuses.
/// </summary>
[GenerateSerializer, Immutable, Alias("on.kv.PreVote")]
public sealed record PreVote([property: Id(0)] Ballot Ballot, [property: Id(1)] long AppliedIndex) : KeyValueMessage
{
    /// <inheritdoc/>
    public override string ToString() => $"pre-vote {Ballot} applied {AppliedIndex}";
}

/// <summary>The sender would promise <see cref="Ballot"/>: it has not heard from a live leader recently. Refusals are silent.</summary>
[GenerateSerializer, Immutable, Alias("on.kv.PreVoteGranted")]
public sealed record PreVoteGranted([property: Id(0)] Ballot Ballot) : KeyValueMessage
{
    /// <inheritdoc/>
    public override string ToString() => $"pre-vote granted {Ballot}";
}

/// <summary>
/// Phase 1a, run once per leadership: promise not to accept older ballots, and report every
/// slot from <see cref="FromSlot"/> (the candidate's first unchosen slot) on
/// ("Paxos Made Moderately Complex" §3, the scout; one prepare covers all future slots).
/// </summary>
[GenerateSerializer, Immutable, Alias("on.kv.Prepare")]
public sealed record Prepare([property: Id(0)] Ballot Ballot, [property: Id(1)] long FromSlot) : KeyValueMessage
{
    /// <inheritdoc/>
    public override string ToString() => $"prepare {Ballot} from {FromSlot}";
}

/// <summary>
/// Phase 1b: the promise, with every slot at or after the prepare's <c>FromSlot</c> that this
/// replica holds, chosen or only accepted. A replica whose compacted prefix reaches
/// <c>FromSlot</c> could not list the values chosen there, so it does not promise at all: the
/// candidate is behind, and the most advanced replica (which nobody refuses) can lead instead.
/// </summary>
[GenerateSerializer, Immutable, Alias("on.kv.Promise")]
public sealed record Promise(
    [property: Id(0)] Ballot Ballot,
    [property: Id(1)] ImmutableArray<SlotEntry> Entries) : KeyValueMessage
{
    /// <inheritdoc/>
    public override string ToString() => $"promise {Ballot} entries={Entries.Length}";
}

/// <summary>
/// Phase 2a: accept <see cref="Value"/> in <see cref="Slot"/>. It also carries the leader's
/// commit index, under which every slot is chosen: a follower that accepted a slot below it in
/// this same ballot holds the chosen value (a leader proposes one value per slot per ballot).
/// </summary>
[GenerateSerializer, Immutable, Alias("on.kv.Accept")]
public sealed record Accept(
    [property: Id(0)] Ballot Ballot,
    [property: Id(1)] long Slot,
    [property: Id(2)] KeyValueBatch Value,
    [property: Id(3)] long CommitIndex) : KeyValueMessage
{
    /// <inheritdoc/>
    public override string ToString() => $"accept {Ballot} slot {Slot} {Value} commit {CommitIndex}";
}

/// <summary>Phase 2b: the sender accepted <see cref="Slot"/> in <see cref="Ballot"/>.</summary>
[GenerateSerializer, Immutable, Alias("on.kv.Accepted")]
public sealed record Accepted([property: Id(0)] Ballot Ballot, [property: Id(1)] long Slot) : KeyValueMessage
{
    /// <inheritdoc/>
    public override string ToString() => $"accepted {Ballot} slot {Slot}";
}

/// <summary>The sender has promised <see cref="Promised"/>, newer than the ballot it was asked to join.</summary>
[GenerateSerializer, Immutable, Alias("on.kv.Preempted")]
public sealed record Preempted([property: Id(0)] Ballot Promised) : KeyValueMessage
{
    /// <inheritdoc/>
    public override string ToString() => $"preempted by {Promised}";
}

/// <summary>
/// The leader is alive; slots up to <see cref="CommitIndex"/> are chosen (see <see cref="Accept"/>).
/// <see cref="ReadRound"/> is the leader's newest read-confirmation round, which the answer echoes (<see cref="ReadBarrier"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("on.kv.Heartbeat")]
public sealed record Heartbeat([property: Id(0)] Ballot Ballot, [property: Id(1)] long CommitIndex, [property: Id(2)] long ReadRound = 0) : KeyValueMessage
{
    /// <inheritdoc/>
    public override string ToString() => ReadRound == 0 ? $"heartbeat {Ballot} commit {CommitIndex}" : $"heartbeat {Ballot} commit {CommitIndex} read-round {ReadRound}";
}

/// <summary>The follower is alive and has applied up to <see cref="AppliedIndex"/>: the leader catches it up from there.</summary>
[GenerateSerializer, Immutable, Alias("on.kv.HeartbeatAck")]
public sealed record HeartbeatAck([property: Id(0)] Ballot Ballot, [property: Id(1)] long AppliedIndex, [property: Id(2)] long ReadRound = 0) : KeyValueMessage
{
    /// <inheritdoc/>
    public override string ToString() => ReadRound == 0 ? $"heartbeat-ack {Ballot} applied {AppliedIndex}" : $"heartbeat-ack {Ballot} applied {AppliedIndex} read-round {ReadRound}";
}

/// <summary>Chosen entries a lagging follower is missing (the answer to a <see cref="HeartbeatAck"/> behind the leader).</summary>
[GenerateSerializer, Immutable, Alias("on.kv.CatchUp")]
public sealed record CatchUp([property: Id(0)] Ballot Ballot, [property: Id(1)] ImmutableArray<SlotEntry> Entries) : KeyValueMessage
{
    /// <inheritdoc/>
    public override string ToString() =>
        Entries.IsDefaultOrEmpty ? $"catch-up {Ballot} none" : $"catch-up {Ballot} slots {Entries[0].Slot}..{Entries[^1].Slot}";
}

/// <summary>
/// One chunk of the leader's store, for a follower behind the leader's compaction point. Chunks
/// go one at a time, each after the previous one's <see cref="SnapshotChunkAck"/>, so no message
/// holds a whole store and a lost chunk only repeats itself.
/// </summary>
[GenerateSerializer, Immutable, Alias("on.kv.SnapshotChunk")]
public sealed record SnapshotChunk([property: Id(0)] Ballot Ballot, [property: Id(1)] KeyValueChunk Chunk) : KeyValueMessage
{
    /// <inheritdoc/>
    public override string ToString() => $"snapshot {Ballot} {Chunk}";
}

/// <summary>
/// The follower has the snapshot at <see cref="SnapshotIndex"/> up to position <see cref="Next"/>
/// (the whole of it once <see cref="Next"/> reaches its item count): the leader sends the chunk
/// starting there.
/// </summary>
[GenerateSerializer, Immutable, Alias("on.kv.SnapshotChunkAck")]
public sealed record SnapshotChunkAck([property: Id(0)] Ballot Ballot, [property: Id(1)] long SnapshotIndex, [property: Id(2)] long Next) : KeyValueMessage
{
    /// <inheritdoc/>
    public override string ToString() => $"snapshot-ack {Ballot} @{SnapshotIndex} next {Next}";
}

/// <summary>A log slot and its entry, as promises and catch-ups carry them.</summary>
[GenerateSerializer, Immutable, Alias("on.kv.SlotEntry")]
public readonly record struct SlotEntry([property: Id(0)] long Slot, [property: Id(1)] LogEntry Entry)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Slot}: {Entry}";
}
