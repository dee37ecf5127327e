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

    /// <summary>
    /// Accuracy on a reliable network (no loss, no cut link: <see cref="Observation{TState}.ReliableForTime"/>),
    /// between nodes both up for longer than the slack of <see cref="HealthySlackRounds"/>. Crashed
    /// nodes may stay down, so it is judged in the liveness phase of a run with every fault, once
    /// loss has stopped; a run in which it never applied reports it as not evaluated.
    /// </summary>
    public const string NoLivePeerSuspected = "no live peer is suspected while the network is healthy";

    /// <summary>Goal: some live node suspects a crashed peer (so completeness is not vacuous).</summary>
    public const string CrashedPeerSuspected = "a live node suspects a crashed peer";

    /// <summary>Goal: some live node suspects a live peer (a partition or loss was noticed), so accuracy is not vacuous either.</summary>
    public const string LivePeerSuspected = "a live node suspects a live peer during a fault";

    /// <summary>The properties, with accuracy judged for a network within <paramref name="network"/>'s bounds.</summary>
    public static IReadOnlyList<Property<FailureDetectorState>> For(NetworkBounds network) =>
    [
        Property.Eventually<FailureDetectorState>(CrashedPeersSuspected, EveryCrashedPeerSuspected, UnsuspectedCrashedPeer),
        new Accuracy(network),
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

    private static string? UnsuspectedCrashedPeer(Observation<FailureDetectorState> observation)
    {
        for (var observer = 0; observer < observation.Count; observer++)
        {
            if (!observation.Up[observer]) continue;
            var suspects = observation.States[observer].Suspects;
            for (var peer = 0; peer < observation.Count; peer++)
                if (!observation.Up[peer] && !suspects.Contains(new NodeId(peer))) return $"n{observer} does not suspect n{peer}, which is down";
        }

        return null;
    }

    /// <summary>
    /// Accuracy, judged per (observer, peer) pair: both up for longer than the slack, on a network
    /// reliable for longer than the slack. A peer that just restarted waits a whole interval before
    /// its first heartbeat, so the slack counts from its restart as well as from the network's
    /// last fault. Each run's check keeps when each node last came up: an array replaced, never
    /// changed in place, when a node goes down or comes up, so it allocates only then and an
    /// exhaustive search can save and restore it as the check's ghost.
    /// </summary>
    private sealed class Accuracy(NetworkBounds network) : Property<FailureDetectorState>(NoLivePeerSuspected, PropertyKind.Always)
    {
        public override PropertyCheck<FailureDetectorState> Start() => new Check(network);

        private sealed class Check(NetworkBounds network) : PropertyCheck<FailureDetectorState>
        {
            private long[]? _upSince;
            private bool _evaluated;

            public override bool Evaluated => _evaluated;

            public override bool CanRestore => true;

            public override object? SaveGhost() => _upSince;

            public override void RestoreGhost(object? ghost) => _upSince = (long[]?)ghost;

            public override bool Holds(Observation<FailureDetectorState> observation) => Find(observation) is null;

            public override string? Explain(Observation<FailureDetectorState> observation) =>
                Find(observation) is var (observer, suspect, slack)
                    ? $"n{observer} suspects n{suspect}, up since round {_upSince![suspect]}; the network has been reliable for {observation.ReliableForTime} rounds (slack {slack})"
                    : null;

            private (int Observer, int Suspect, long Slack)? Find(Observation<FailureDetectorState> observation)
            {
                var upSince = _upSince ?? new long[observation.Count];
                for (var node = 0; node < upSince.Length; node++)
                {
                    var since = !observation.Up[node] ? -1 : upSince[node] < 0 ? observation.Time : upSince[node];
                    if (since == upSince[node]) continue;
                    if (ReferenceEquals(upSince, _upSince)) upSince = (long[])upSince.Clone();
                    upSince[node] = since;
                }

                _upSince = upSince;

                if (observation.ReliableForTime < 0) return null;
                for (var observer = 0; observer < observation.Count; observer++)
                {
                    var state = observation.States[observer];
                    var slack = HealthySlackRounds(state, network);
                    if (!Settled(observation, observer, slack)) continue;
                    for (var peer = 0; peer < observation.Count; peer++)
                    {
                        if (peer == observer || !Settled(observation, peer, slack)) continue;
                        _evaluated = true;
                        if (state.Suspects.Contains(new NodeId(peer))) return (observer, peer, slack);
                    }
                }

                return null;
            }

            private bool Settled(Observation<FailureDetectorState> observation, int node, long slack) =>
                observation.Up[node] && observation.ReliableForTime > slack && observation.Time - _upSince![node] > slack;
        }
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
