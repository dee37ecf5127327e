namespace OrleansNodes.Protocols.KeyValue;

/// <summary>
/// A get waiting at the leader: answered from the store once a confirmation round of
/// <see cref="Round"/> or later has succeeded and the store has applied <see cref="ReadIndex"/>.
/// </summary>
/// <param name="Client">Who asked.</param>
/// <param name="Sequence">The request's sequence number.</param>
/// <param name="Key">The key read.</param>
/// <param name="ReadIndex">The highest slot the leader had assigned when the get arrived: every write acknowledged before it is at or below.</param>
/// <param name="Round">The first confirmation round started after the get arrived.</param>
[GenerateSerializer, Immutable, Alias("on.kv.PendingRead")]
public sealed record PendingRead(
    [property: Id(0)] ClientId Client,
    [property: Id(1)] long Sequence,
    [property: Id(2)] string Key,
    [property: Id(3)] long ReadIndex,
    [property: Id(4)] long Round);

/// <summary>
/// A leader's gets that do not go through the log (ReadIndex, Raft thesis §6.4): each waits for
/// one round of heartbeats, started after it arrived, that a majority acknowledges in the
/// leader's ballot. Such a majority had promised no newer ballot when it answered, so no newer
/// leader can have acknowledged a write the get must see. Rounds are numbered for the whole
/// leadership and never reused, so a late answer to an old round confirms nothing new. Volatile.
/// </summary>
/// <param name="Round">The newest round started (heartbeats carry it; 0 before the first).</param>
/// <param name="Confirmed">The newest round a majority answered.</param>
/// <param name="Acks">The peers that answered <see cref="Round"/> while it is unconfirmed.</param>
/// <param name="Waiting">Gets not yet answered, in arrival order.</param>
[GenerateSerializer, Immutable, Alias("on.kv.ReadBarrier")]
public sealed record ReadBarrier(
    [property: Id(0)] long Round,
    [property: Id(1)] long Confirmed,
    [property: Id(2)] ImmutableArray<NodeId> Acks,
    [property: Id(3)] ImmutableArray<PendingRead> Waiting)
{
    /// <summary>No round yet, nothing waiting.</summary>
    public static readonly ReadBarrier None = new(0, 0, [], []);

    /// <summary>Whether a round is out and not yet confirmed.</summary>
    public bool InFlight => Round > Confirmed;

    /// <inheritdoc/>
    public override string ToString() => $"reads round={Round} confirmed={Confirmed} waiting={Waiting.Length}";
}
