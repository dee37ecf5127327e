namespace OrleansNodes.Protocols.FailureDetector;

/// <summary>
/// What a failure detector may assume about a healthy network (partial synchrony): messages
/// arrive within <see cref="MaxMessageDelayRounds"/>, and every node's clock runs between
/// <c>1 / MaxTickSkew</c> and <c>MaxTickSkew</c> ticks per round. Without such bounds no
/// detector can be accurate; with them, the timeouts can be derived instead of guessed.
/// </summary>
/// <param name="MaxMessageDelayRounds">Most rounds between a send and its delivery.</param>
/// <param name="MaxTickSkew">Bound of the ratio between a node's tick rate and the nominal one tick per round (1 = no skew).</param>
[GenerateSerializer, Immutable, Alias("on.fd.NetworkBounds")]
public sealed record NetworkBounds(
    [property: Id(0)] int MaxMessageDelayRounds,
    [property: Id(1)] int MaxTickSkew)
{
    /// <summary>
    /// The simulator's defaults: a delay of up to three rounds plus the round in which the message
    /// becomes deliverable, and skewed clocks ticking at half to double the nominal rate.
    /// </summary>
    public static readonly NetworkBounds Simulator = new(MaxMessageDelayRounds: 4, MaxTickSkew: 2);

    /// <summary>
    /// The longest silence, in rounds, between two heartbeats' arrivals from a live peer: a
    /// slowest-clock peer needs <c>MaxTickSkew × H</c> rounds for one interval of <c>H</c> ticks,
    /// the heartbeat may spend <see cref="MaxMessageDelayRounds"/> on the wire, and one more round
    /// covers a delivery ordered after the observer's tick in the same round.
    /// </summary>
    public int MaxHeartbeatGapRounds(int heartbeatIntervalTicks) =>
        MaxTickSkew * heartbeatIntervalTicks + MaxMessageDelayRounds + 1;

    /// <summary>
    /// The least suspicion threshold, in ticks, that never suspects a live peer on such a
    /// network: a fastest-clock observer counts <c>MaxTickSkew</c> ticks per round of the
    /// longest silence, and must not reach the threshold.
    /// </summary>
    public int MinSuspectAfterTicks(int heartbeatIntervalTicks) =>
        MaxTickSkew * MaxHeartbeatGapRounds(heartbeatIntervalTicks) + 1;
}
