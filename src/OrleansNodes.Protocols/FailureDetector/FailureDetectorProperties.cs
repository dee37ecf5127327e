namespace OrleansNodes.Protocols.FailureDetector;

/// <summary>
/// The failure detector's properties, after Chandra and Toueg's classes: <b>completeness</b>
/// (a crashed peer is eventually suspected by every live node) and <b>accuracy</b> once the
/// network behaves (no live peer is suspected after the cluster has been healthy for long
/// enough).
/// </summary>
public static class FailureDetectorProperties
{
    /// <summary>Completeness: checked in the liveness phase, with crashed nodes kept down.</summary>
    public const string CrashedPeersSuspected = "a crashed peer is eventually suspected by every live node";

    /// <summary>Accuracy on a healthy network, after the slack of <see cref="HealthySlackTicks"/>.</summary>
    public const string NoLivePeerSuspected = "no live peer is suspected while the network is healthy";

    /// <summary>Goal: some live node suspects a crashed peer (so completeness is not vacuous).</summary>
    public const string CrashedPeerSuspected = "a live node suspects a crashed peer";

    /// <summary>Goal: some live node suspects a live peer (a partition or loss was noticed), so accuracy is not vacuous either.</summary>
    public const string LivePeerSuspected = "a live node suspects a live peer during a fault";

    /// <summary>The properties, with accuracy judged for a network whose delays stay within <paramref name="maxMessageDelayTicks"/>.</summary>
    public static IReadOnlyList<Property<FailureDetectorState>> For(int maxMessageDelayTicks) =>
    [
        Property.Eventually<FailureDetectorState>(CrashedPeersSuspected, EveryCrashedPeerSuspected),
        Property.Always<FailureDetectorState>(NoLivePeerSuspected, o => NoLivePeerSuspectedAfterSlack(o, maxMessageDelayTicks)),
        Property.Sometimes<FailureDetectorState>(CrashedPeerSuspected, o => SomeSuspicion(o, suspectUp: false)),
        Property.Sometimes<FailureDetectorState>(LivePeerSuspected, o => SomeSuspicion(o, suspectUp: true)),
    ];

    /// <summary>
    /// How long the network must have been healthy before an observer with <paramref name="state"/>
    /// may no longer suspect a live peer: <c>H + D + 1</c> ticks.
    /// </summary>
    /// <remarks>
    /// Healing does not clear suspicions by itself: an observer un-suspects a peer only when a
    /// heartbeat arrives. A peer sends its first heartbeat after healing within one interval
    /// <c>H</c> (a peer that just restarted waits a full interval), and that heartbeat is on the
    /// wire for at most <c>D</c>; the extra tick covers an observation in the same round as the
    /// delivery but ordered before it. The threshold <c>K</c> does not add to the slack but
    /// bounds it from the other side: it must exceed the longest healthy silence between two
    /// heartbeats, <c>H + D + 1</c>, or live peers are suspected however long the network
    /// has been healthy, and this property rightly fails.
    /// </remarks>
    public static long HealthySlackTicks(FailureDetectorState state, int maxMessageDelayTicks) =>
        state.Heartbeat.TimeoutTicks + maxMessageDelayTicks + 1;

    private static bool EveryCrashedPeerSuspected(Observation<FailureDetectorState> observation)
    {
        for (var observer = 0; observer < observation.Count; observer++)
        {
            if (!observation.Up[observer]) continue;
            var suspects = observation.States[observer].Suspects;
            for (var peer = 0; peer < observation.Count; peer++)
                if (!observation.Up[peer] && !suspects.Contains(new NodeId(peer))) return false;
        }
        return true;
    }

    private static bool NoLivePeerSuspectedAfterSlack(Observation<FailureDetectorState> observation, int maxMessageDelayTicks)
    {
        if (!observation.IsHealthy) return true;
        for (var observer = 0; observer < observation.Count; observer++)
        {
            var state = observation.States[observer];
            if (!observation.Up[observer] || observation.HealthyForTime <= HealthySlackTicks(state, maxMessageDelayTicks)) continue;
            foreach (var suspect in state.Suspects)
                if (observation.IsUp(suspect)) return false;
        }
        return true;
    }

    private static bool SomeSuspicion(Observation<FailureDetectorState> observation, bool suspectUp)
    {
        for (var observer = 0; observer < observation.Count; observer++)
        {
            if (!observation.Up[observer]) continue;
            foreach (var suspect in observation.States[observer].Suspects)
                if (observation.IsUp(suspect) == suspectUp) return true;
        }
        return false;
    }
}
