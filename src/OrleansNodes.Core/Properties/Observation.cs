namespace OrleansNodes.Core;

/// <summary>
/// What a property sees after one step: every node's state, which nodes are up, the node that
/// just stepped with its state before the step, the network's health and which links are cut.
/// Hosts build it without allocating; properties must not keep it.
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
        : this(states, up, stepped, before, step, time, healthyForTime, healthyForTime, cut: null)
    {
    }

    /// <summary>
    /// Creates an observation that also shows the network: <paramref name="reliableForTime"/>
    /// (see <see cref="ReliableForTime"/>) and the cut links, <paramref name="cut"/> indexed
    /// <c>from * Count + to</c> (null when no link is ever cut). Hosts pass their own arrays; an
    /// observation copies nothing.
    /// </summary>
    public Observation(
        IReadOnlyList<TState> states,
        IReadOnlyList<bool> up,
        NodeId? stepped,
        TState? before,
        long step,
        long time,
        long healthyForTime,
        long reliableForTime,
        IReadOnlyList<bool>? cut)
    {
        States = states;
        Up = up;
        Stepped = stepped;
        Before = before;
        Step = step;
        Time = time;
        HealthyForTime = healthyForTime;
        ReliableForTime = reliableForTime;
        _cut = cut;
    }

    private readonly IReadOnlyList<bool>? _cut;

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

    /// <summary>
    /// For how many rounds of <see cref="Time"/> the network has been reliable: no link cut, no
    /// loss or duplication. Unlike <see cref="HealthyForTime"/> it ignores crashed nodes, so a
    /// property about live nodes (a failure detector's accuracy) can be judged while the dead stay
    /// dead. -1 while it is not reliable.
    /// </summary>
    public long ReliableForTime { get; }

    /// <summary>Number of nodes.</summary>
    public int Count => States.Count;

    /// <summary>True when <paramref name="node"/> is running.</summary>
    public bool IsUp(NodeId node) => Up[node.Value];

    /// <summary>
    /// True when the link from <paramref name="from"/> to <paramref name="to"/> is not cut: what
    /// one sends the other can receive (if it is up). A node always reaches itself.
    /// </summary>
    public bool CanReach(NodeId from, NodeId to) => from == to || _cut is null || !_cut[from.Value * States.Count + to.Value];

    /// <summary>True when both links between <paramref name="a"/> and <paramref name="b"/> are intact and both are up: they can talk.</summary>
    public bool Connected(NodeId a, NodeId b) => Up[a.Value] && Up[b.Value] && CanReach(a, b) && CanReach(b, a);

    /// <summary>True when every node is up and the network delivers everything.</summary>
    public bool IsHealthy => HealthyForTime >= 0;
}
