using OrleansNodes.Protocols.KeyValue;
using KeyValueInput = OrleansNodes.Core.Input<OrleansNodes.Protocols.KeyValue.KeyValueMessage, OrleansNodes.Protocols.KeyValue.KeyValueCommand>;

namespace OrleansNodes.Protocols.Tests.KeyValue;

/// <summary>
/// A scripted, in-test network for scenario tests: messages wait in a FIFO queue until the
/// test delivers them; the test decides who is cut off, who crashed, and who ticks. Every
/// Always property of the protocol is checked after every step, so each scenario also
/// exercises the invariants.
/// </summary>
internal sealed class KeyValueCluster
{
    private readonly KeyValueProtocol _protocol;
    private readonly ImmutableArray<NodeConfig<KeyValueSettings>> _configs;
    private readonly KeyValueState[] _states;
    private readonly DurableImage[] _durable;
    private readonly bool[] _up;
    private readonly HashSet<NodeId> _isolated = [];
    private readonly List<Envelope<KeyValueMessage>> _queue = [];
    private readonly List<(Property<KeyValueState> Property, PropertyCheck<KeyValueState> Check)> _checks;
    private long _steps;

    public KeyValueCluster(int size, KeyValueSettings? settings = null, ulong seed = 1, KeyValueProtocol? protocol = null)
    {
        _protocol = protocol ?? new KeyValueProtocol();
        _configs = NodeConfig<KeyValueSettings>.Cluster(size, settings ?? KeyValueSettings.Default, seed);
        _states = [.. _configs.Select(_protocol.Init)];
        _durable = [.. _states.Select(state => DurableImage.Initial(_protocol.HardState(state)))];
        _up = [.. _configs.Select(_ => true)];
        var scope = new PropertyScope();
        _checks = [.. _protocol.Properties.Where(p => p.Kind == PropertyKind.Always).Select(p => (p, p.Start(scope)))];
        Check(null, null);
    }

    public static NodeId N(int value) => new(value);

    public KeyValueProtocol Protocol => _protocol;

    public KeyValueState this[int node] => _states[node];

    public IReadOnlyList<KeyValueState> States => _states;

    /// <summary>What each node has made durable: in this harness every step is flushed.</summary>
    public IReadOnlyList<DurableImage> Durable => _durable;

    /// <summary>Durable writes so far (flushes that changed the hard state or wrote log entries or a snapshot).</summary>
    public int Writes => WriteLog.Count;

    /// <summary>Every durable write, in order: the node, whether its hard state changed, and its log and snapshot writes.</summary>
    public List<(int Node, bool HardChanged, DurableWrites Writes)> WriteLog { get; } = [];

    /// <summary>Every client reply produced so far, in order.</summary>
    public List<ClientReply<KeyValueReply>> Replies { get; } = [];

    /// <summary>Messages waiting for delivery.</summary>
    public IReadOnlyList<Envelope<KeyValueMessage>> Queue => _queue;

    /// <summary>When set, a queued message matching it is dropped instead of delivered.</summary>
    public Func<Envelope<KeyValueMessage>, bool>? Drop { get; set; }

    public void Tick(int node, int times = 1)
    {
        for (var i = 0; i < times; i++) Step(N(node), KeyValueInput.Tick.Instance);
    }

    public void TickAll(int times = 1)
    {
        for (var i = 0; i < times; i++)
            for (var node = 0; node < _states.Length; node++)
                if (_up[node]) Tick(node);
    }

    /// <summary>Ticks every up node and delivers everything, <paramref name="rounds"/> times.</summary>
    public void Run(int rounds)
    {
        for (var i = 0; i < rounds; i++)
        {
            TickAll();
            DeliverAll();
        }
    }

    /// <summary>Sends a request to <paramref name="node"/> and returns the replies that step produced.</summary>
    public List<ClientReply<KeyValueReply>> Request(int node, long client, long sequence, KeyValueCommand command)
    {
        var before = Replies.Count;
        Step(N(node), new KeyValueInput.Request(new ClientId(client), sequence, command));
        return Replies[before..];
    }

    /// <summary>Delivers queued messages (and those they cause) until none is left; returns how many were delivered.</summary>
    public int DeliverAll(int limit = 1_000_000)
    {
        var delivered = 0;
        while (_queue.Count > 0)
        {
            if (++delivered > limit) throw new InvalidOperationException("the cluster did not go quiet");
            DeliverNext();
        }
        return delivered;
    }

    /// <summary>Delivers (or drops) the oldest queued message.</summary>
    public void DeliverNext()
    {
        var envelope = _queue[0];
        _queue.RemoveAt(0);
        if (!Reaches(envelope) || Drop?.Invoke(envelope) == true) return;
        Step(envelope.To, new KeyValueInput.Receive(envelope.From, envelope.Message));
    }

    /// <summary>Puts <paramref name="envelope"/> at the end of the queue, as if sent now: a delayed or duplicated message.</summary>
    public void Inject(Envelope<KeyValueMessage> envelope) => _queue.Add(envelope);

    /// <summary>Forgets every queued message: they were lost.</summary>
    public void LoseQueued() => _queue.Clear();

    /// <summary>Cuts <paramref name="node"/> off: everything it sends or is sent is lost until <see cref="Heal"/>.</summary>
    public void Isolate(int node) => _isolated.Add(N(node));

    public void Heal() => _isolated.Clear();

    /// <summary>Stops a node. What survives is its durable image: in this harness every step is flushed.</summary>
    public void Crash(int node)
    {
        _up[node] = false;
        Check(null, null);
    }

    public void Restart(int node)
    {
        _states[node] = _protocol.Recover(_configs[node], _durable[node]);
        _up[node] = true;
        Check(null, null);
    }

    /// <summary>The node that leads in the newest ballot, if any.</summary>
    public int? Leader =>
        _states.Select((s, i) => (s, i)).Where(x => _up[x.i] && x.s.Leadership is not null)
            .OrderByDescending(x => x.s.Leadership!.Ballot).Select(x => (int?)x.i).FirstOrDefault();

    /// <summary>Ticks <paramref name="node"/> until it campaigns, then delivers everything.</summary>
    public void Elect(int node)
    {
        for (var i = 0; _states[node].Role == KeyValueRole.Follower; i++)
        {
            if (i > 1000) throw new InvalidOperationException($"n{node} never campaigned");
            Tick(node);
        }
        DeliverAll();
    }

    private bool Reaches(Envelope<KeyValueMessage> envelope) =>
        _up[envelope.To.Value] && !_isolated.Contains(envelope.From) && !_isolated.Contains(envelope.To);

    private void Step(NodeId node, KeyValueInput input)
    {
        if (!_up[node.Value]) return;
        var before = _states[node.Value];
        var result = _protocol.Run(_configs[node.Value], before, input);
        _states[node.Value] = result.State;
        var image = _durable[node.Value];
        var hard = _protocol.HardState(result.State);
        _durable[node.Value] = image.Flush(hard, result.Writes);
        if (!ReferenceEquals(image, _durable[node.Value])) WriteLog.Add((node.Value, !Equals(hard, image.Hard), result.Writes));
        _queue.AddRange(result.Outbox.Sends);
        Replies.AddRange(result.Outbox.Replies);
        _steps++;
        Check(node, before);
    }

    private void Check(NodeId? stepped, KeyValueState? before)
    {
        var observation = new Observation<KeyValueState>(_states, _up, stepped, before, _steps, 0, 0);
        foreach (var (property, check) in _checks)
            if (!check.Holds(observation))
                throw new InvalidOperationException($"property violated after step {_steps} at {stepped}: {property.Name}");
    }
}
