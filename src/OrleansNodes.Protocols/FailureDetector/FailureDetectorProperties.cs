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

    /// <summary>Accuracy on a healthy network, after the slack of <see cref="HealthySlackRounds"/>.</summary>
    public const string NoLivePeerSuspected = "no live peer is suspected while the network is healthy";

    /// <summary>Goal: some live node suspects a crashed peer (so completeness is not vacuous).</summary>
    public const string CrashedPeerSuspected = "a live node suspects a crashed peer";

    /// <summary>Goal: some live node suspects a live peer (a partition or loss was noticed), so accuracy is not vacuous either.</summary>
    public const string LivePeerSuspected = "a live node suspects a live peer during a fault";

    /// <summary>The properties, with accuracy judged for a network within <paramref name="network"/>'s bounds.</summary>
    public static IReadOnlyList<Property<FailureDetectorState>> For(NetworkBounds network) =>
    [
        Property.Eventually<FailureDetectorState>(CrashedPeersSuspected, EveryCrashedPeerSuspected),
        Property.Always<FailureDetectorState>(NoLivePeerSuspected, o => NoLivePeerSuspectedAfterSlack(o, network)),
        Property.Sometimes<FailureDetectorState>(CrashedPeerSuspected, o => SomeSuspicion(o, suspectUp: false)),
        Property.Sometimes<FailureDetectorState>(LivePeerSuspected, o => SomeSuspicion(o, suspectUp: true)),
    ];

    /// <summary>
    /// How many rounds the network must have been healthy before an observer with
    /// <paramref name="state"/> may no longer suspect a live peer: one longest heartbeat gap,
    /// <see cref="NetworkBounds.MaxHeartbeatGapRounds"/>.
    /// </summary>
    /// <remarks>
    /// Healing does not clear suspicions by itself: an observer un-suspects a peer only when a
    /// heartbeat arrives, and the first one after healing may take a whole gap (a peer that just
    /// restarted waits a full interval before its first heartbeat). The threshold <c>K</c> does
    /// not add to the slack but bounds it from the other side: if it is below
    /// <see cref="NetworkBounds.MinSuspectAfterTicks"/>, live peers are suspected between
    /// heartbeats however long the network has been healthy, and this property rightly fails.
    /// </remarks>
    public static long HealthySlackRounds(FailureDetectorState state, NetworkBounds network) =>
        network.MaxHeartbeatGapRounds(state.Heartbeat.TimeoutTicks);

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

    private static bool NoLivePeerSuspectedAfterSlack(Observation<FailureDetectorState> observation, NetworkBounds network)
    {
        if (!observation.IsHealthy) return true;
        for (var observer = 0; observer < observation.Count; observer++)
        {
            var state = observation.States[observer];
            if (!observation.Up[observer] || observation.HealthyForTime <= HealthySlackRounds(state, network)) continue;
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
