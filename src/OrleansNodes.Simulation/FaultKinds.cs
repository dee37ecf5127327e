namespace OrleansNodes.Simulation;

/// <summary>
/// The faults a run may inject. Each models something Orleans really does (DESIGN.md): one-way
/// messages are lost, duplicated by retries, and not ordered; silos die and roll their grains
/// back to the last written state; timers on different silos drift.
/// </summary>
[Flags]
public enum FaultKinds
{
    /// <summary>A perfect network: nothing is lost, every node stays up, every node ticks at the same rate.</summary>
    None = 0,

    /// <summary>Messages are lost (<see cref="SimulationOptions.DropPercent"/> of deliveries).</summary>
    Drop = 1,

    /// <summary>Messages are delivered twice (<see cref="SimulationOptions.DuplicatePercent"/> of deliveries).</summary>
    Duplicate = 2,

    /// <summary>Messages are delayed by up to <see cref="SimulationOptions.MaxDelayRounds"/> rounds, which reorders them.</summary>
    Reorder = 4,

    /// <summary>
    /// Links between nodes are cut: a node isolated, the cluster split in two, or one direction of
    /// one link (asymmetric); then healed. Cuts are between nodes only: a client's request
    /// reaches its node on either side.
    /// </summary>
    Partition = 8,

    /// <summary>Nodes crash (losing what they had stepped but not persisted) and restart from their persisted state.</summary>
    Crash = 16,

    /// <summary>Nodes tick at different rates (half to double the nominal one), re-drawn from time to time.</summary>
    Skew = 32,

    /// <summary>
    /// A node that believes it leads (the protocol's <c>Inspect</c>, <see cref="Core.NodeView.Leading"/>)
    /// is cut off from every peer, both ways, while clients still reach it; then healed. Random
    /// partitions isolate the leader only now and then; this one makes a deposed leader that has
    /// not yet noticed, and the clients still talking to it, a common sight. A protocol whose
    /// nodes never say they lead gets no such event.
    /// </summary>
    IsolateLeader = 64,

    /// <summary>Every fault.</summary>
    All = Drop | Duplicate | Reorder | Partition | Crash | Skew | IsolateLeader,
}
