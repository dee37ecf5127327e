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

    /// <summary>Links are cut: a node isolated, the cluster split in two, or one direction of one link (asymmetric); then healed.</summary>
    Partition = 8,

    /// <summary>Nodes crash (losing what they had stepped but not persisted) and restart from their persisted state.</summary>
    Crash = 16,

    /// <summary>Nodes tick at different rates (half to double the nominal one), re-drawn from time to time.</summary>
    Skew = 32,

    /// <summary>Every fault.</summary>
    All = Drop | Duplicate | Reorder | Partition | Crash | Skew,
}
