using OrleansNodes.Protocols.Paxos;
using PaxosInput = OrleansNodes.Core.Input<OrleansNodes.Protocols.Paxos.PaxosMessage, OrleansNodes.Protocols.Paxos.PaxosCommand>;

namespace OrleansNodes.Protocols.Tests.Paxos;

/// <summary>
/// A hand-driven network for scenario tests: every send lands in <see cref="InFlight"/> and
/// stays there until the test delivers or drops it, so a test scripts exactly the interleaving
/// the paper describes.
/// </summary>
internal sealed class PaxosCluster
{
    public static readonly PaxosSettings QuietSettings = new(ProposeOnStart: false, RetryTicksMin: 5, RetryTicksMax: 8);

    private long _sequence;
    private ImmutableHashSet<int> _isolated = [];

    public PaxosCluster(int size = 3, PaxosSettings? settings = null, ulong seed = 1, SingleDecreePaxos? protocol = null)
    {
        Protocol = protocol ?? new SingleDecreePaxos();
        Configs = NodeConfig<PaxosSettings>.Cluster(size, settings ?? QuietSettings, seed);
        States = [.. Configs.Select(Protocol.Init)];
        Durable = [.. States.Select(state => DurableImage.Initial(Protocol.HardState(state)))];
    }

    public SingleDecreePaxos Protocol { get; }

    public ImmutableArray<NodeConfig<PaxosSettings>> Configs { get; }

    public PaxosState[] States { get; }

    /// <summary>What each node has made durable: every step is flushed here.</summary>
    public DurableImage[] Durable { get; }

    public List<Envelope<PaxosMessage>> InFlight { get; } = [];

    public List<ClientReply<PaxosReply>> Replies { get; } = [];

    public PaxosState this[int node] => States[node];

    public static NodeId N(int index) => new(index);

    /// <summary>Steps one node and queues its effects; returns the step's result for precise assertions.</summary>
    public StepResult<PaxosState, PaxosMessage, PaxosReply> Step(int node, PaxosInput input)
    {
        var result = Protocol.Run(Configs[node], States[node], input);
        States[node] = result.State;
        Durable[node] = Durable[node].Flush(Protocol.HardState(result.State), result.Writes);
        InFlight.AddRange(result.Outbox.Sends.Where(e => !Crosses(e)));
        Replies.AddRange(result.Outbox.Replies);
        return result;
    }

    public StepResult<PaxosState, PaxosMessage, PaxosReply> Propose(int node, string value, long client = 1) =>
        Step(node, new PaxosInput.Request(new ClientId(client), ++_sequence, new PaxosCommand.Propose(value)));

    public void Tick(int node, int times = 1)
    {
        for (var i = 0; i < times; i++) Step(node, PaxosInput.Tick.Instance);
    }

    /// <summary>Delivers, in send order, every in-flight message that matches (not the ones they cause). Returns how many.</summary>
    public int Deliver(Func<Envelope<PaxosMessage>, bool> which)
    {
        var batch = InFlight.Where(which).ToList();
        foreach (var envelope in batch)
        {
            InFlight.Remove(envelope);
            Step(envelope.To.Value, new PaxosInput.Receive(envelope.From, envelope.Message));
        }
        return batch.Count;
    }

    /// <summary>Delivers <typeparamref name="T"/> messages from <paramref name="from"/> (any node if null) to the given nodes.</summary>
    public int Deliver<T>(int? from = null, params int[] to) where T : PaxosMessage =>
        Deliver(e => e.Message is T && (from is null || e.From.Value == from) && (to.Length == 0 || to.Contains(e.To.Value)));

    /// <summary>Delivers until the network is empty: a healthy, ordered network.</summary>
    public void DeliverAll()
    {
        while (InFlight.Count > 0) Deliver(_ => true);
    }

    /// <summary>Cuts <paramref name="nodes"/> off from the rest: messages across the cut are lost when sent, until <see cref="Heal"/>.</summary>
    public void Partition(params int[] nodes)
    {
        _isolated = [.. nodes];
        InFlight.RemoveAll(Crosses);
    }

    public void Heal() => _isolated = [];

    private bool Crosses(Envelope<PaxosMessage> envelope) =>
        _isolated.Contains(envelope.From.Value) != _isolated.Contains(envelope.To.Value);

    public int Drop(Func<Envelope<PaxosMessage>, bool> which) => InFlight.RemoveAll(e => which(e));

    public IEnumerable<Envelope<PaxosMessage>> Sent<T>(int from) where T : PaxosMessage =>
        InFlight.Where(e => e.Message is T && e.From.Value == from);

    /// <summary>Simulates a crash and restart: the node comes back from what it made durable (every step is flushed here).</summary>
    public void CrashAndRecover(int node)
    {
        InFlight.RemoveAll(e => e.To.Value == node);
        States[node] = Protocol.Recover(Configs[node], Durable[node]);
    }
}
