namespace OrleansNodes.Core;

/// <summary>
/// What a property sees after one step: every node's state, which nodes are up, the node that
/// just stepped with its state before the step, and the network's health. Hosts build it
/// without allocating; properties must not keep it.
/// </summary>
public readonly struct Observation<TState>
    where TState : class
{
    /// <summary>Creates an observation. Hosts (the simulator) call this; protocols only read it.</summary>
    public Observation(
        IReadOnlyList<TState> states,
        IReadOnlyList<bool> up,
        NodeId? stepped,
        TState? before,
        long step,
        long time,
        long healthyForTime)
    {
        States = states;
        Up = up;
        Stepped = stepped;
        Before = before;
        Step = step;
        Time = time;
        HealthyForTime = healthyForTime;
    }

    /// <summary>Every node's current state, indexed by <see cref="NodeId.Value"/>. A crashed node shows its last persisted state.</summary>
    public IReadOnlyList<TState> States { get; }

    /// <summary>Whether each node is running, indexed by <see cref="NodeId.Value"/>.</summary>
    public IReadOnlyList<bool> Up { get; }

    /// <summary>The node that just stepped, or null for the check of the initial states or after a fault.</summary>
    public NodeId? Stepped { get; }

    /// <summary>The stepped node's state before the step (null when <see cref="Stepped"/> is null).</summary>
    public TState? Before { get; }

    /// <summary>The stepped node's state after the step (null when <see cref="Stepped"/> is null).</summary>
    public TState? After => Stepped is { } node ? States[node.Value] : null;

    /// <summary>Number of steps taken so far in this run.</summary>
    public long Step { get; }

    /// <summary>Logical time: the number of tick rounds so far. Each node nominally receives one tick per round; skew varies that.</summary>
    public long Time { get; }

    /// <summary>
    /// For how many rounds of <see cref="Time"/> the cluster has been healthy: every node up, no
    /// partition, no loss or duplication. -1 while it is not healthy. A run with no faults is
    /// healthy from time 0, so this equals <see cref="Time"/>.
    /// </summary>
    public long HealthyForTime { get; }

    /// <summary>Number of nodes.</summary>
    public int Count => States.Count;

    /// <summary>True when <paramref name="node"/> is running.</summary>
    public bool IsUp(NodeId node) => Up[node.Value];

    /// <summary>True when every node is up and the network delivers everything.</summary>
    public bool IsHealthy => HealthyForTime >= 0;
}
