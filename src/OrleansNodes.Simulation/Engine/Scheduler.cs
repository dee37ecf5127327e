namespace OrleansNodes.Simulation.Engine;

/// <summary>
/// Chooses what happens next in a random run, from one seeded generator, and has the
/// <see cref="Engine{TSettings, TState, TMessage, TRequest, TReply}"/> do it (which records the
/// decision). A run is a fault phase of <see cref="SimulationOptions.Steps"/> steps, then, when
/// the protocol has liveness goals, a liveness phase: partitions heal, crashed nodes restart,
/// loss stops, and every <c>Eventually</c> property must come true within
/// <see cref="SimulationOptions.LivenessRounds"/> rounds.
/// </summary>
/// <remarks>
/// Within a round the choice is uniform over the deliverable messages, the requests in flight
/// and the ticks the nodes still have to take this round (VOPR-style: the network and the
/// clocks race). When the ticks are used up, messages whose bounded delay runs out are
/// delivered, every node persists what it has pending, and the next round begins.
/// </remarks>
internal sealed class Scheduler<TSettings, TState, TMessage, TRequest, TReply>
    where TState : class
{
    // Tick rates are counted in quarter ticks per round, so skew can give a node 0.5x..2x.
    private const int NominalRateQuarters = 4;

    private readonly Engine<TSettings, TState, TMessage, TRequest, TReply> _engine;
    private readonly SimulationOptions _options;
    private readonly FastRandom _random;
    private readonly int[] _tokens;
    private readonly int[] _rates;
    private readonly int[] _credit;
    private readonly int[] _batchTarget;
    private readonly bool _drop;
    private readonly bool _duplicate;
    private readonly bool _fifo;
    private readonly FaultKinds _events;
    private readonly bool _crashes;
    private bool _faultPhase;
    private int _tokenTotal;

    public Scheduler(Engine<TSettings, TState, TMessage, TRequest, TReply> engine, SimulationOptions options, FastRandom random)
    {
        _engine = engine;
        _options = options;
        _random = random;
        var n = options.Nodes;
        _tokens = new int[n];
        _rates = new int[n];
        _credit = new int[n];
        _batchTarget = new int[n];
        _drop = options.Faults.HasFlag(FaultKinds.Drop);
        _duplicate = options.Faults.HasFlag(FaultKinds.Duplicate);
        _fifo = options.Order == DeliveryOrder.Fifo;
        _events = options.Faults & (FaultKinds.Crash | FaultKinds.Partition | FaultKinds.Skew | FaultKinds.IsolateLeader);
        _crashes = options.Faults.HasFlag(FaultKinds.Crash);
        for (var i = 0; i < n; i++)
        {
            _rates[i] = options.Faults.HasFlag(FaultKinds.Skew) ? DrawRate() : NominalRateQuarters;
            _batchTarget[i] = DrawBatch();
        }
    }

    /// <summary>Runs the fault phase, then the liveness phase if there is anything to wait for, then the end-of-run judgement.</summary>
    public void Run()
    {
        var engine = _engine;
        engine.Start();
        RefillTokens();

        // A guard against protocols that stop stepping (every node down and nothing in flight
        // cannot happen with a minority crash budget, but a script of options might allow it).
        var decisionBudget = (long)_options.Steps * 64 + 1_000;
        _faultPhase = true;
        while (!engine.Failed && engine.Steps < _options.Steps && engine.Decisions.Count < decisionBudget)
            Next(faults: true);

        if (!engine.Failed && _options.LivenessRounds > 0 && engine.HasLivenessGoals())
            RunLiveness();

        engine.Finish(_options.LivenessRounds);
    }

    private void RunLiveness()
    {
        var engine = _engine;
        _faultPhase = false;
        engine.Heal();
        if (_options.RestartCrashedForLiveness)
            for (var node = 0; node < engine.Nodes; node++) engine.Restart(node);
        engine.GoLive();
        var end = engine.Round + _options.LivenessRounds;
        while (!engine.Failed && engine.Round < end && !engine.LivenessSatisfied())
            Next(faults: false);
    }

    /// <summary>One decision.</summary>
    private void Next(bool faults)
    {
        if (faults && _events != FaultKinds.None && _random.Chance(_options.FaultEventPercent) && InjectFault()) return;

        var engine = _engine;
        var messages = engine.ReadyCount;
        var requests = engine.RequestCount;
        if (_tokenTotal == 0)
        {
            FinishRound(faults);
            return;
        }

        var pick = _random.Next(messages + requests + _tokenTotal);
        if (pick < messages)
        {
            ActOnPacket(_fifo ? 0 : pick, faults);
        }
        else if (pick < messages + requests)
        {
            var node = RequestTarget(pick - messages);
            engine.DeliverRequest(pick - messages);
            AfterStep(node);
        }
        else
        {
            Tick(pick - messages - requests);
        }
    }

    /// <summary>The round's ticks are spent: deliver what is due, let the clients' requests land, then the round ends (every node persists).</summary>
    private void FinishRound(bool faults)
    {
        var engine = _engine;
        var due = engine.CountDue();
        if (due > 0)
        {
            ActOnPacket(engine.IndexOfDue(_fifo ? 0 : _random.Next(due)), faults);
            return;
        }

        if (engine.RequestCount > 0)
        {
            var node = RequestTarget(0);
            engine.DeliverRequest(0);
            AfterStep(node);
            return;
        }

        // Every batch ends with the round. Flushing here, node by node, gives each flushed node a
        // fresh batch size (a node that steps less than its batch size per round would otherwise
        // never flush mid-round again). The round would flush them anyway; a shrunk schedule may
        // leave these decisions out.
        for (var node = 0; node < engine.Nodes && !engine.Failed; node++) Flush(node);
        if (engine.Failed) return;
        engine.RestSilentNodes();
        engine.AdvanceRound();
        RefillTokens();
    }

    private void ActOnPacket(int index, bool faults)
    {
        var engine = _engine;
        if (faults && _drop && _random.Chance(_options.DropPercent))
        {
            engine.ActOnPacket(index, DecisionKind.Drop);
            return;
        }

        if (faults && _duplicate && _random.Chance(_options.DuplicatePercent))
        {
            engine.ActOnPacket(index, DecisionKind.Duplicate);
            return;
        }

        var to = engine.ReadyAt(index).To;
        engine.ActOnPacket(index, DecisionKind.Deliver);
        AfterStep(to);
    }

    private void Tick(int token)
    {
        var node = 0;
        while (token >= _tokens[node])
        {
            token -= _tokens[node];
            node++;
        }

        _tokens[node]--;
        _tokenTotal--;
        _engine.Tick(node);
        AfterStep(node);
    }

    /// <summary>A node persists after a batch of random size, like a grain that drains its queue and then writes once.</summary>
    private void AfterStep(int node)
    {
        if (_engine.Unflushed(node) < _batchTarget[node]) return;
        Flush(node);
    }

    /// <summary>
    /// A node's batch ends. In the fault phase a crash may be biased to this boundary: between the
    /// flush's write and its sends (<see cref="SimulationOptions.FlushCrashPercent"/>), or just after
    /// the flush, before the node's next step (<see cref="SimulationOptions.BoundaryCrashPercent"/>).
    /// No random number is drawn when both are zero, so runs without them are unchanged.
    /// </summary>
    private void Flush(int node)
    {
        var engine = _engine;
        if (CrashAllowed(_options.FlushCrashPercent) && engine.Unflushed(node) > 0 && _random.Chance(_options.FlushCrashPercent))
        {
            DropTokens(node);
            engine.FlushCrash(node);
            _batchTarget[node] = DrawBatch();
            return;
        }

        if (!engine.Flush(node)) return;
        _batchTarget[node] = DrawBatch();
        if (CrashAllowed(_options.BoundaryCrashPercent) && _random.Chance(_options.BoundaryCrashPercent))
        {
            DropTokens(node);
            engine.Crash(node);
        }
    }

    private bool CrashAllowed(double percent) => percent > 0 && _faultPhase && _crashes && _engine.DownCount < _options.MaxCrashed;

    private void DropTokens(int node)
    {
        _tokenTotal -= _tokens[node];
        _tokens[node] = 0;
    }

    private int RequestTarget(int index) => _engine.RequestTargetAt(index);

    private void RefillTokens()
    {
        _tokenTotal = 0;
        var up = _engine.Up;
        for (var node = 0; node < _tokens.Length; node++)
        {
            if (!up[node])
            {
                _tokens[node] = 0;
                continue;
            }

            _credit[node] += _rates[node];
            _tokens[node] = _credit[node] / NominalRateQuarters;
            _credit[node] %= NominalRateQuarters;
            _tokenTotal += _tokens[node];
        }
    }

    /// <summary>A crash or restart, a partition or heal, a change of tick rate, or the leader isolated or healed, among the enabled kinds.</summary>
    private bool InjectFault()
    {
        Span<FaultKinds> kinds = stackalloc FaultKinds[4];
        var count = 0;
        if (_events.HasFlag(FaultKinds.Crash)) kinds[count++] = FaultKinds.Crash;
        if (_events.HasFlag(FaultKinds.Partition)) kinds[count++] = FaultKinds.Partition;
        if (_events.HasFlag(FaultKinds.Skew)) kinds[count++] = FaultKinds.Skew;
        if (_events.HasFlag(FaultKinds.IsolateLeader)) kinds[count++] = FaultKinds.IsolateLeader;
        return kinds[_random.Next(count)] switch
        {
            FaultKinds.Crash => CrashOrRestart(),
            FaultKinds.Partition => PartitionOrHeal(),
            FaultKinds.IsolateLeader => IsolateLeaderOrHeal(),
            _ => Skew(),
        };
    }

    private bool CrashOrRestart()
    {
        var engine = _engine;
        var down = engine.DownCount;
        if (down < _options.MaxCrashed && (down == 0 || _random.Chance(50)))
        {
            var node = PickNode(up: true);
            DropTokens(node);
            return engine.Crash(node);
        }

        return down > 0 && engine.Restart(PickNode(up: false));
    }

    private bool PartitionOrHeal()
    {
        var engine = _engine;
        var n = engine.Nodes;
        if (n < 2) return false;
        if (engine.CutCount > 0 && _random.Chance(50)) return engine.Heal();
        switch (_random.Next(3))
        {
            case 0:
                // Isolate one node: every link to and from it.
                var isolated = _random.Next(n);
                for (var other = 0; other < n; other++)
                {
                    engine.Cut(isolated, other);
                    engine.Cut(other, isolated);
                }

                break;
            case 1:
                // Split the cluster in two random, non-empty sides.
                var side = new bool[n];
                var sideSize = 0;
                for (var i = 0; i < n; i++)
                {
                    side[i] = _random.Chance(50);
                    if (side[i]) sideSize++;
                }

                if (sideSize == 0 || sideSize == n) side[_random.Next(n)] = sideSize == 0;
                for (var a = 0; a < n; a++)
                    for (var b = 0; b < n; b++)
                        if (side[a] != side[b]) engine.Cut(a, b);
                break;
            default:
                // One direction of one link: a can no longer reach b, but b still reaches a.
                var from = _random.Next(n);
                var to = (from + 1 + _random.Next(n - 1)) % n;
                engine.Cut(from, to);
                break;
        }

        return true;
    }

    /// <summary>
    /// Cuts a node that believes it leads off from every peer, both ways; clients still reach it
    /// (with <see cref="SimulationOptions.ClientGateways"/>, those behind it).
    /// It goes on answering them as leader until it notices, while the others may elect a new one:
    /// the deposed leader that still believes it leads, which a leader needs a quorum's word
    /// (or check-quorum, or a lease) to rule out. No event when no node leads.
    /// </summary>
    private bool IsolateLeaderOrHeal()
    {
        var engine = _engine;
        var n = engine.Nodes;
        if (n < 2) return false;
        if (engine.CutCount > 0 && _random.Chance(50)) return engine.Heal();
        var leaders = 0;
        for (var node = 0; node < n; node++)
            if (engine.Leads(node)) leaders++;
        if (leaders == 0) return false;
        var k = _random.Next(leaders);
        var isolated = 0;
        while (!engine.Leads(isolated) || k-- > 0) isolated++;
        for (var other = 0; other < n; other++)
        {
            engine.Cut(isolated, other);
            engine.Cut(other, isolated);
        }

        return true;
    }

    private bool Skew()
    {
        _rates[_random.Next(_rates.Length)] = DrawRate();
        return true;
    }

    private int PickNode(bool up)
    {
        var states = _engine.Up;
        var candidates = 0;
        foreach (var isUp in states)
            if (isUp == up) candidates++;
        var k = _random.Next(candidates);
        for (var node = 0; node < states.Length; node++)
            if (states[node] == up && k-- == 0) return node;
        throw new InvalidOperationException("no such node");
    }

    private int DrawRate() => 2 + _random.Next(7);

    private int DrawBatch() => 1 + _random.Next(_options.MaxBatchSteps);
}
