namespace OrleansNodes.Simulation;

/// <summary>
/// What a workload sees of the simulated world and the one thing it may do to it: send requests.
/// The simulator reuses one context per run.
/// </summary>
public sealed class WorkloadContext<TRequest>
{
    private readonly List<(ClientId Client, long Sequence, NodeId Node, TRequest Command)> _sent = [];

    internal WorkloadContext(int nodes) => Nodes = nodes;

    /// <summary>Number of nodes; requests may go to <c>n0 .. n(Nodes-1)</c>.</summary>
    public int Nodes { get; }

    /// <summary>Steps taken so far.</summary>
    public long Step { get; internal set; }

    /// <summary>The current round (logical time).</summary>
    public long Time { get; internal set; }

    /// <summary>Rounds since the network became fully healthy, -1 while it is not (see <see cref="Observation{TState}.HealthyForTime"/>).</summary>
    public long HealthyForTime { get; internal set; }

    /// <summary>True in the liveness phase: faults have stopped and the cluster is expected to make progress.</summary>
    public bool IsLivenessPhase { get; internal set; }

    /// <summary>Sends request <paramref name="sequence"/> of <paramref name="client"/> to <paramref name="node"/>.</summary>
    public void Send(ClientId client, long sequence, NodeId node, TRequest command)
    {
        if ((uint)node.Value >= (uint)Nodes) throw new ArgumentOutOfRangeException(nameof(node), node, $"the cluster has {Nodes} nodes");
        _sent.Add((client, sequence, node, command));
    }

    internal List<(ClientId Client, long Sequence, NodeId Node, TRequest Command)> Sent => _sent;
}
