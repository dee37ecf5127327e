using OrleansNodes.Simulation.Engine;

namespace OrleansNodes.Simulation;

/// <summary>
/// A scripted cluster for scenario tests that read like the paper: "isolate n2, tick 20 times,
/// heal, deliver everything, expect one leader". Nothing happens unless the script says so;
/// messages wait in flight, in send order, until delivered, dropped or lost.
/// </summary>
/// <remarks>
/// Every <c>Always</c> property is checked after every step and fault, as in random runs; a
/// violation throws <see cref="SimulationFailedException"/> whose message has the trace of
/// the script so far. With <see cref="AutoFlush"/> (the default) a node persists and releases
/// its outbox right after each step; turn it off to script crashes between a step and its
/// flush. Methods return the world, so short scripts can chain.
/// </remarks>
public sealed class World<TSettings, TState, TMessage, TRequest, TReply>
    where TState : class
{
    private readonly Simulator<TSettings, TState, TMessage, TRequest, TReply> _simulator;
    private readonly SimulationOptions _options;
    private readonly ulong _seed;
    private readonly List<TRequest> _payloads = [];
    private readonly List<ClientReply<TReply>> _replies = [];
    private readonly Engine<TSettings, TState, TMessage, TRequest, TReply> _engine;

    internal World(Simulator<TSettings, TState, TMessage, TRequest, TReply> simulator, SimulationOptions options, ulong seed)
    {
        _simulator = simulator;
        _options = options;
        _seed = seed;
        _engine = simulator.NewEngine(seed, options, random: null, preserveOrder: true, _payloads, scripted: true);
        _engine.Replies = _replies;
        _engine.LiveFromStart();
        _engine.Start();
        ThrowIfViolated();
    }

    /// <summary>Number of nodes.</summary>
    public int Count => _engine.Nodes;

    /// <summary>Every node's current state (a crashed node shows its state as of its last flush).</summary>
    public IReadOnlyList<TState> States => _engine.States;

    /// <summary>Every node's state as of its last flush.</summary>
    public IReadOnlyList<TState> Flushed => _engine.Flushed;

    /// <summary>Every node's durable image: the hard state, snapshot and log it has written, which is all a crash keeps.</summary>
    public IReadOnlyList<DurableImage> Durable => _engine.Durable;

    /// <summary>The state of <paramref name="node"/>.</summary>
    public TState this[NodeId node] => _engine.States[node.Value];

    /// <summary>Whether each node persists right after each of its steps (default true).</summary>
    public bool AutoFlush { get; set; } = true;

    /// <summary>Steps taken.</summary>
    public long Steps => _engine.Steps;

    /// <summary>Rounds of logical time (<see cref="TickAll"/> and <see cref="RunRounds"/> advance it).</summary>
    public long Time => _engine.Round;

    /// <summary>Rounds since every node was up with no link cut, -1 while not.</summary>
    public long HealthyForTime => _engine.HealthyForTime;

    /// <summary>Messages in flight, in send order.</summary>
    public IReadOnlyList<Envelope<TMessage>> InFlight => _engine.InFlight();

    /// <summary>Replies that reached clients (released by flushes), in order.</summary>
    public IReadOnlyList<ClientReply<TReply>> Replies => _replies;

    /// <summary>The script so far, as decisions.</summary>
    public IReadOnlyList<Decision> Decisions => _engine.Decisions;

    /// <summary>True when <paramref name="node"/> is up.</summary>
    public bool IsUp(NodeId node) => _engine.Up[node.Value];

    /// <summary>True when the <c>Sometimes</c> or <c>Eventually</c> property named <paramref name="property"/> has held at some step.</summary>
    public bool Reached(string property)
    {
        for (var i = 0; i < _engine.Properties.Count; i++)
            if (_engine.Properties[i].Name == property) return _engine.Reached(i);
        throw new ArgumentException($"the protocol has no property '{property}'", nameof(property));
    }

    /// <summary>Ticks <paramref name="node"/> <paramref name="times"/> times (no-op while it is down).</summary>
    public World<TSettings, TState, TMessage, TRequest, TReply> Tick(NodeId node, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            if (_engine.Tick(Index(node))) AfterStep(node.Value);
            ThrowIfViolated();
        }

        return this;
    }

    /// <summary><paramref name="times"/> rounds in which every up node ticks once and no message moves.</summary>
    public World<TSettings, TState, TMessage, TRequest, TReply> TickAll(int times = 1)
    {
        for (var t = 0; t < times; t++)
        {
            _engine.AdvanceRound();
            ThrowIfViolated();
            TickEveryNode();
        }

        return this;
    }

    /// <summary>
    /// <paramref name="rounds"/> rounds of a running network: every up node ticks once, then every
    /// message in flight at that moment is delivered (messages those deliveries send wait for the
    /// next round: one hop per round).
    /// </summary>
    public World<TSettings, TState, TMessage, TRequest, TReply> RunRounds(int rounds)
    {
        for (var r = 0; r < rounds; r++)
        {
            _engine.AdvanceRound();
            ThrowIfViolated();
            TickEveryNode();
            var inFlight = _engine.ReadyCount;
            for (var k = 0; k < inFlight && _engine.ReadyCount > 0; k++) DeliverAt(0);
        }

        return this;
    }

    /// <summary>Delivers the oldest message in flight; false when there is none.</summary>
    public bool DeliverNext()
    {
        if (_engine.ReadyCount == 0) return false;
        DeliverAt(0);
        return true;
    }

    /// <summary>Delivers messages oldest first until none is left; returns how many. Throws if more than <paramref name="maxDeliveries"/> would be needed.</summary>
    public int DeliverAll(int maxDeliveries = 100_000)
    {
        var delivered = 0;
        while (_engine.ReadyCount > 0)
        {
            if (delivered == maxDeliveries)
                throw new InvalidOperationException($"DeliverAll: {_engine.ReadyCount} message(s) still in flight after {maxDeliveries} deliveries; does the protocol answer every message with another forever?");
            DeliverAt(0);
            delivered++;
        }

        return delivered;
    }

    /// <summary>Delivers, in order, every message now in flight that matches; returns how many.</summary>
    public int Deliver(Func<Envelope<TMessage>, bool> predicate) => ActOnMatching(predicate, DecisionKind.Deliver);

    /// <summary>Drops every message now in flight that matches; returns how many.</summary>
    public int Drop(Func<Envelope<TMessage>, bool> predicate) => ActOnMatching(predicate, DecisionKind.Drop);

    /// <summary>Duplicates every message now in flight that matches; returns how many.</summary>
    public int Duplicate(Func<Envelope<TMessage>, bool> predicate) => ActOnMatching(predicate, DecisionKind.Duplicate);

    /// <summary>Persists <paramref name="node"/>'s state and releases its outbox (for scripts with <see cref="AutoFlush"/> off).</summary>
    public World<TSettings, TState, TMessage, TRequest, TReply> Flush(NodeId node)
    {
        _engine.Flush(Index(node));
        ThrowIfViolated();
        return this;
    }

    /// <summary>Crashes <paramref name="node"/>: what it stepped but did not persist is lost; messages to it are lost until it restarts.</summary>
    public World<TSettings, TState, TMessage, TRequest, TReply> Crash(NodeId node)
    {
        _engine.Crash(Index(node));
        ThrowIfViolated();
        return this;
    }

    /// <summary>Restarts <paramref name="node"/> from its persisted state through <c>Protocol.Recover</c>.</summary>
    public World<TSettings, TState, TMessage, TRequest, TReply> Restart(NodeId node)
    {
        _engine.Restart(Index(node));
        ThrowIfViolated();
        return this;
    }

    /// <summary>Cuts the link from <paramref name="from"/> to <paramref name="to"/> in that direction only.</summary>
    public World<TSettings, TState, TMessage, TRequest, TReply> Cut(NodeId from, NodeId to)
    {
        _engine.Cut(Index(from), Index(to));
        ThrowIfViolated();
        return this;
    }

    /// <summary>Cuts the link between <paramref name="a"/> and <paramref name="b"/> both ways.</summary>
    public World<TSettings, TState, TMessage, TRequest, TReply> Disconnect(NodeId a, NodeId b) => Cut(a, b).Cut(b, a);

    /// <summary>Cuts every link to and from <paramref name="node"/>.</summary>
    public World<TSettings, TState, TMessage, TRequest, TReply> Isolate(NodeId node)
    {
        for (var other = 0; other < Count; other++)
            if (other != node.Value) Disconnect(node, new NodeId(other));
        return this;
    }

    /// <summary>Cuts every link between the two sides, both ways.</summary>
    public World<TSettings, TState, TMessage, TRequest, TReply> Partition(IEnumerable<NodeId> side, IEnumerable<NodeId> otherSide)
    {
        var others = otherSide.ToArray();
        foreach (var a in side)
            foreach (var b in others)
                Disconnect(a, b);
        return this;
    }

    /// <summary>Restores every cut link.</summary>
    public World<TSettings, TState, TMessage, TRequest, TReply> Heal()
    {
        _engine.Heal();
        ThrowIfViolated();
        return this;
    }

    /// <summary>Client <paramref name="client"/> sends request <paramref name="sequence"/> to <paramref name="node"/>, which steps it now (it is lost if the node is down).</summary>
    public World<TSettings, TState, TMessage, TRequest, TReply> Request(ClientId client, long sequence, NodeId node, TRequest command)
    {
        _payloads.Add(command);
        _engine.Submit(client.Value, sequence, Index(node), _payloads.Count - 1);
        _engine.DeliverRequest(_engine.RequestCount - 1);
        AfterStep(node.Value);
        ThrowIfViolated();
        return this;
    }

    /// <summary>The readable trace of the script so far: one line per decision, with state diffs.</summary>
    public string Trace()
    {
        var lines = new List<string>();
        _simulator.ReplayDecisions(_seed, _options, _engine.Decisions, _payloads, lines);
        return string.Join(Environment.NewLine, lines);
    }

    private void TickEveryNode()
    {
        for (var node = 0; node < Count; node++)
        {
            if (_engine.Tick(node)) AfterStep(node);
            ThrowIfViolated();
        }
    }

    private int ActOnMatching(Func<Envelope<TMessage>, bool> predicate, DecisionKind kind)
    {
        var chosen = new List<Decision>();
        for (var i = 0; i < _engine.ReadyCount; i++)
        {
            ref readonly var packet = ref _engine.ReadyAt(i);
            if (predicate(new Envelope<TMessage>(new NodeId(packet.From), new NodeId(packet.To), packet.Message)))
                chosen.Add(new Decision(kind, packet.From, packet.To, packet.Ordinal));
        }

        foreach (var decision in chosen)
        {
            if (_engine.Apply(decision) && kind == DecisionKind.Deliver) AfterStep(decision.Peer);
            ThrowIfViolated();
        }

        return chosen.Count;
    }

    private void DeliverAt(int index)
    {
        var to = _engine.ReadyAt(index).To;
        _engine.ActOnPacket(index, DecisionKind.Deliver);
        AfterStep(to);
        ThrowIfViolated();
    }

    private void AfterStep(int node)
    {
        if (AutoFlush && !_engine.Failed) _engine.Flush(node);
    }

    private int Index(NodeId node) =>
        (uint)node.Value < (uint)Count ? node.Value : throw new ArgumentOutOfRangeException(nameof(node), node, $"the world has {Count} nodes");

    private void ThrowIfViolated()
    {
        if (_engine.Violation is not { } found) return;
        var violation = _simulator.Explain(_seed, _options, _engine.Decisions, found, _payloads, shrink: false, existingPath: null);
        throw new SimulationFailedException(violation.ToString(), violation);
    }
}
