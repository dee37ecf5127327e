using System.Runtime.InteropServices;
using System.Text;

namespace OrleansNodes.Simulation.Engine;

/// <summary>
/// The simulated cluster: every node's state, durable image and unflushed outbox, the
/// messages and requests in flight, the cut links, and the properties under check. It executes
/// decisions and records them; it never chooses. The <see cref="Scheduler{TSettings, TState, TMessage, TRequest, TReply}"/>
/// chooses for random runs, a <see cref="World{TSettings, TState, TMessage, TRequest, TReply}"/>
/// script chooses for scenarios, and a replay reads the choices from a schedule. Because all
/// three go through the same operations, a replayed schedule does exactly what the run did.
/// </summary>
/// <remarks>
/// The node loop is DESIGN.md's: a node steps inputs into a pending state and a pending outbox;
/// <see cref="Flush"/> writes what the batch made durable, exactly as storage does (the hard state
/// when it changed, the log and snapshot writes, <see cref="DurableImage.Apply"/>), and only then
/// releases the outbox (persist-before-send); <see cref="Crash"/> discards what was pending, which
/// is exactly losing the inputs stepped since the last flush, and <see cref="Restart"/> rebuilds the
/// node from its durable image with <c>Recover</c>. Messages to a node that is down are lost, as
/// one-way calls to a dead silo are.
/// </remarks>
internal sealed partial class Engine<TSettings, TState, TMessage, TRequest, TReply>
    where TState : class
{
    /// <summary>The pseudo-property a step that throws violates.</summary>
    public const string StepThrewProperty = "no exception in Step";

    /// <summary>The pseudo-property a <c>Recover</c> that does not restore the hard state it was given violates.</summary>
    public const string RecoveryProperty = "Recover restores the hard state";

    private readonly Protocol<TSettings, TState, TMessage, TRequest, TReply> _protocol;
    private readonly NodeConfig<TSettings>[] _configs;
    private readonly StepContext<TSettings, TMessage, TReply>[] _contexts;
    private readonly TState[] _states;
    private readonly TState[] _flushed;
    private readonly DurableImage[] _durable;
    private readonly bool[] _up;
    private readonly List<Envelope<TMessage>>[] _unsentMessages;
    private readonly List<ClientReply<TReply>>[] _unsentReplies;
    private readonly int[] _unflushedSteps;
    private readonly bool[] _cut;
    private readonly long[] _linkOrdinals;
    private readonly List<Packet<TMessage>> _ready = [];
    private readonly List<Packet<TMessage>> _delayed = [];
    private readonly List<PendingRequest<TRequest>> _requests = [];
    private readonly Property<TState>[] _properties;
    private readonly PropertyCheck<TState>[] _checks;
    private readonly bool[] _reached;
    private readonly List<Decision> _decisions = [];
    private readonly FastRandom? _delayRandom;
    private readonly int _maxDelayRounds;
    private readonly bool _reorder;
    private readonly bool _fifo;
    private readonly int _maxCrashed;
    private readonly bool _checkRecovery;
    private readonly int _maxTicksPerRound;
    private readonly int[] _ticksThisRound;
    private readonly int _maxBatchSteps;
    private readonly int _maxSilentRounds;
    private readonly int[] _silentRounds;
    private readonly bool[] _upAllRound;
    private readonly bool[] _restartedThisRound;
    private readonly bool[] _resting;
    private readonly bool _mayDrop;
    private readonly bool _mayDuplicate;
    private readonly bool _restartForLiveness;
    private readonly bool _preserveOrder;
    private readonly bool _clientGateways;
    private readonly IWorkload<TRequest, TReply>? _workload;
    private readonly WorkloadContext<TRequest>? _workloadContext;
    private readonly IReadOnlyList<TRequest>? _payloads;
    private readonly StringBuilder _line = new();
    private long _round;
    private long _steps;
    private bool _owing;
    private DecisionKind _lastRecorded;
    private int _down;
    private int _cuts;
    private bool _lossy;
    private bool _live;
    private long _liveSince;
    private long _healthySince;
    private long _reliableSince;

    /// <param name="protocol">The protocol under test.</param>
    /// <param name="settings">Its settings.</param>
    /// <param name="seed">The run's seed: node seeds and the workload's derive from it.</param>
    /// <param name="options">Cluster size and the faults that make the network lossy.</param>
    /// <param name="delayRandom">Draws message delays when <see cref="FaultKinds.Reorder"/> is on; null in replays, where delays do not matter.</param>
    /// <param name="preserveOrder">Keep in-flight messages in send order (FIFO, scripts, replays) instead of swap-removing.</param>
    /// <param name="lossy">Whether the network drops or duplicates (the network is not healthy until <see cref="GoLive"/>).</param>
    /// <param name="workload">The run's clients, or null.</param>
    /// <param name="payloads">Commands of scripted <see cref="DecisionKind.Submit"/> decisions.</param>
    public Engine(
        Protocol<TSettings, TState, TMessage, TRequest, TReply> protocol,
        TSettings settings,
        ulong seed,
        SimulationOptions options,
        FastRandom? delayRandom,
        bool preserveOrder,
        bool lossy,
        IWorkload<TRequest, TReply>? workload,
        IReadOnlyList<TRequest>? payloads)
    {
        var n = options.Nodes;
        _protocol = protocol;
        _configs = [.. NodeConfig<TSettings>.Cluster(n, settings, seed)];
        _contexts = new StepContext<TSettings, TMessage, TReply>[n];
        _states = new TState[n];
        _flushed = new TState[n];
        _durable = new DurableImage[n];
        _up = new bool[n];
        _unsentMessages = new List<Envelope<TMessage>>[n];
        _unsentReplies = new List<ClientReply<TReply>>[n];
        _unflushedSteps = new int[n];
        _cut = new bool[n * n];
        _linkOrdinals = new long[n * n];
        for (var i = 0; i < n; i++)
        {
            _contexts[i] = new StepContext<TSettings, TMessage, TReply>(_configs[i]);
            _states[i] = _flushed[i] = protocol.Init(_configs[i]);
            _durable[i] = DurableImage.Initial(protocol.HardState(_states[i]));
            _up[i] = true;
            _unsentMessages[i] = [];
            _unsentReplies[i] = [];
        }

        _properties = [.. protocol.Properties];
        _checks = new PropertyCheck<TState>[_properties.Length];
        var scope = new PropertyScope();
        for (var i = 0; i < _checks.Length; i++) _checks[i] = _properties[i].Start(scope);
        _reached = new bool[_properties.Length];
        _delayRandom = options.Faults.HasFlag(FaultKinds.Reorder) ? delayRandom : null;
        _maxDelayRounds = options.MaxDelayRounds;
        _reorder = options.Faults.HasFlag(FaultKinds.Reorder);
        _fifo = options.Order == DeliveryOrder.Fifo && !_reorder;
        _maxCrashed = options.MaxCrashed;
        _checkRecovery = options.CheckRecovery;
        _maxTicksPerRound = options.Faults.HasFlag(FaultKinds.Skew) ? 2 : 1;
        _ticksThisRound = new int[n];
        _maxBatchSteps = options.MaxBatchSteps;

        // The scheduler's tick rates (Scheduler.RefillTokens): one tick per round, or with skew a
        // rate of 0.5x..2x carried as credit, which never leaves a node two whole rounds silent.
        _maxSilentRounds = options.Faults.HasFlag(FaultKinds.Skew) ? 2 : 1;
        _silentRounds = new int[n];
        _upAllRound = new bool[n];
        Array.Fill(_upAllRound, true);
        _restartedThisRound = new bool[n];
        _resting = new bool[n];
        _mayDrop = options.Faults.HasFlag(FaultKinds.Drop);
        _mayDuplicate = options.Faults.HasFlag(FaultKinds.Duplicate);
        _restartForLiveness = options.RestartCrashedForLiveness;
        _preserveOrder = preserveOrder;
        _clientGateways = options.ClientGateways;
        _lossy = lossy;
        _healthySince = lossy ? -1 : 0;
        _reliableSince = lossy ? -1 : 0;
        _workload = workload;
        _workloadContext = workload is null ? null : new WorkloadContext<TRequest>(n);
        _payloads = payloads;
        Nodes = n;
    }

    public int Nodes { get; }

    public long Round => _round;

    public long Steps => _steps;

    public long Deliveries { get; private set; }

    public long Ticks { get; private set; }

    public long RequestsStepped { get; private set; }

    public long Flushes { get; private set; }

    /// <summary>Flushes that wrote something: a changed hard state, log entries or a snapshot.</summary>
    public long DurableWrites { get; private set; }

    /// <summary>Log entries written by flushes.</summary>
    public long EntriesWritten { get; private set; }

    /// <summary>Snapshots written by flushes.</summary>
    public long SnapshotsWritten { get; private set; }

    public long Drops { get; private set; }

    public long Duplicates { get; private set; }

    public long Lost { get; private set; }

    public long Crashes { get; private set; }

    public long Restarts { get; private set; }

    public long CutsMade { get; private set; }

    public long LostSteps { get; private set; }

    public FoundViolation? Violation { get; private set; }

    /// <summary>Replayed decisions that did not apply (a replay's own count; see <see cref="RunReport.SkippedDecisions"/>).</summary>
    public int SkippedDecisions { get; set; }

    /// <summary>The first replayed decision that did not apply, as <c>decision N 'text'</c>.</summary>
    public string? FirstSkipped { get; set; }

    public bool Failed => Violation is not null;

    public object? WorkloadResult { get; private set; }

    public List<Decision> Decisions => _decisions;

    public TState[] States => _states;

    /// <summary>Every node's state as of its last flush (a node that is down shows this).</summary>
    public TState[] Flushed => _flushed;

    /// <summary>Every node's durable image: what survives a crash.</summary>
    public DurableImage[] Durable => _durable;

    public bool[] Up => _up;

    public int DownCount => _down;

    public int CutCount => _cuts;

    public long HealthyForTime => _healthySince < 0 ? -1 : _round - _healthySince;

    /// <summary>Rounds since the network last lost, duplicated or cut (crashed nodes aside); -1 while it does.</summary>
    public long ReliableForTime => _reliableSince < 0 ? -1 : _round - _reliableSince;

    public int ReadyCount => _ready.Count;

    public int RequestCount => _requests.Count;

    public IReadOnlyList<Property<TState>> Properties => _properties;

    /// <summary>Readable trace lines, one per decision, when set (replays for reports).</summary>
    public List<string>? TraceLines { get; set; }

    /// <summary>Per-step structural hashes, when set (the determinism self-check).</summary>
    public StepRecorder? Recorder { get; set; }

    /// <summary>Replies released by flushes, when set (scripted worlds).</summary>
    public List<ClientReply<TReply>>? Replies { get; set; }

    /// <summary>
    /// Whether replayed decisions must respect the run's model, as the scheduler did: at most one
    /// tick per node per round (two with skew), and at least one per round for a node up all
    /// round (with skew, never two such rounds in a row), none after a restart in the same round;
    /// messages delivered within their delay bound, requests delivered within their round, FIFO
    /// order when asked for; no node stepping past a full batch of
    /// <see cref="SimulationOptions.MaxBatchSteps"/> unflushed steps; drops and duplicates only when
    /// their faults are on and never in the liveness phase, which begins healed (and restarted,
    /// unless <see cref="SimulationOptions.RestartCrashedForLiveness"/> is off) and has no crash or
    /// cut; at most <see cref="SimulationOptions.MaxCrashed"/> nodes down. A
    /// decision that would break it does not apply. This keeps shrinking honest: deleting
    /// decisions must not produce an execution the options forbid (say, thirty ticks of one node
    /// in one round, which would break any timing assumption). Scripted worlds do not enforce it.
    /// </summary>
    public bool EnforceModel { get; init; }

    /// <summary>
    /// Whether a round ends with every up node persisting its batch (random runs and their
    /// replays: batches never outlive a round). Scripted worlds flush when their script says.
    /// </summary>
    public bool FlushAtRoundEnd { get; init; }

    /// <summary>Whether a decision about a vanished message applies to a stand-in (shrinking only; see <c>FindStandIn</c>).</summary>
    public bool Lenient { get; init; }

    /// <summary>
    /// What the schedule names and so what a <c>round</c> owes (<see cref="ScheduleReading"/>):
    /// runs record in the <see cref="ScheduleReading.Current"/> reading, replays read a schedule its
    /// format's way. With <see cref="ScheduleReading.NamedRests"/> a run records a <c>rest</c> for
    /// every node up all round that took fewer ticks than the round owes; with
    /// <see cref="ScheduleReading.NamedDelays"/> it records each delay it draws.
    /// </summary>
    public ScheduleReading Reading { get; init; }

    private bool NamedRests => Reading.NamedRests;

    private bool NamedDelays => Reading.NamedDelays;

    /// <summary>The ticks a round owes a node up all round that does not rest: two under skew with fast clocks, else one.</summary>
    private int OwedTicks => Reading.FastClocks ? _maxTicksPerRound : 1;

    /// <summary>Every step's (node, input), when set (the bare-loop baseline).</summary>
    public List<(NodeId Node, Input<TMessage, TRequest> Input)>? Inputs { get; set; }

    public ref readonly Packet<TMessage> ReadyAt(int index) => ref CollectionsMarshal.AsSpan(_ready)[index];

    public int Unflushed(int node) => _unflushedSteps[node];

    public int RequestTargetAt(int index) => _requests[index].Node;

    /// <summary>Whether <paramref name="node"/> is up and its current state says it leads (the protocol's <c>Inspect</c>).</summary>
    public bool Leads(int node) => _up[node] && _protocol.Inspect(_states[node]).Leading;

    public bool Reached(int property) => _reached[property];

    /// <summary>
    /// Counts <c>Eventually</c> properties from the first step instead of from <see cref="GoLive"/>:
    /// a scripted world has no fault phase, its script decides what "eventually" means.
    /// </summary>
    public void LiveFromStart()
    {
        _live = true;
        _liveSince = 0;
    }

    /// <summary>Checks the properties on the initial states; call once before the first decision.</summary>
    public void Start()
    {
        if (TraceLines is not null) TraceLines.Add("    0 r0 start: " + DescribeCluster());
        Check(-1, null);
    }

    /// <summary>Executes a recorded decision; returns false (recording nothing) when it no longer applies.</summary>
    public bool Apply(in Decision decision)
    {
        if (Failed) return false;
        switch (decision.Kind)
        {
            case DecisionKind.Round:
                if (EnforceModel && !RoundMayEnd())
                {
                    CompleteRound();
                    if (Failed)
                    {
                        // The violation happened in work the round owed: the round is where it is.
                        _decisions.Add(Decision.Round);
                        return true;
                    }

                    if (!RoundMayEnd()) return false;
                }

                AdvanceRound();
                return true;
            case DecisionKind.Tick:
                return ValidNode(decision.Node) && (!EnforceModel || TickAllowed(decision.Node)) && Tick(decision.Node);
            case DecisionKind.Deliver or DecisionKind.Drop or DecisionKind.Duplicate:
                if (EnforceModel && !NetworkActionAllowed(decision)) return false;
                var index = FindPacket(decision.Node, decision.Peer, decision.Number, out var delayed);
                if (index < 0) return false;
                if (delayed) index = Promote(index);
                if (EnforceModel && _fifo && index != 0)
                {
                    if (!Lenient) return false;
                    index = 0;
                }

                return ActOnPacket(index, decision.Kind);
            case DecisionKind.Flush:
                return ValidNode(decision.Node) && Flush(decision.Node);
            case DecisionKind.Crash:
                return ValidNode(decision.Node) && (!EnforceModel || (_down < _maxCrashed && !_live && !BatchFull(decision.Node))) && Crash(decision.Node);
            case DecisionKind.FlushCrash:
                return ValidNode(decision.Node) && (!EnforceModel || (_down < _maxCrashed && !_live)) && FlushCrash(decision.Node);
            case DecisionKind.Restart:
                return ValidNode(decision.Node) && Restart(decision.Node);
            case DecisionKind.Cut:
                return ValidNode(decision.Node) && ValidNode(decision.Peer) && (!EnforceModel || !_live) && Cut(decision.Node, decision.Peer);
            case DecisionKind.Heal:
                return Heal();
            case DecisionKind.Request:
                var request = FindRequest(decision.Client, decision.Number, decision.Node);
                return request >= 0 && (!EnforceModel || !BatchFull(_requests[request].Node)) && DeliverRequest(request);
            case DecisionKind.Submit:
                return ValidNode(decision.Node) && Submit(decision.Client, decision.Number, decision.Node, decision.Peer);
            case DecisionKind.Live:
                return (!EnforceModel || (_cuts == 0 && (_down == 0 || !_restartForLiveness))) && GoLive();
            case DecisionKind.Rest:
                return ValidNode(decision.Node) && Rest(decision.Node);
            case DecisionKind.Delay:
                return DelayAllowed(decision) && Delay(decision);
            default:
                return false;
        }
    }

    /// <summary>A <c>delay</c> applies only to a replay that reads delays as decisions, and under the model only within the bound.</summary>
    private bool DelayAllowed(in Decision decision) =>
        NamedDelays && _delayRandom is null && decision.Client >= 1 &&
        (!EnforceModel || (_reorder && decision.Client <= _maxDelayRounds));

    /// <summary>
    /// Holds the deliverable message <paramref name="decision"/> names back: it may be delivered from
    /// the decision's rounds after the round that sent it, and is due by the end of the
    /// round after that. It stays in the deliverable list (a replay keeps send order; only what a
    /// round owes depends on the due round), so an explicit <c>deliver</c> may still take it early.
    /// </summary>
    private bool Delay(in Decision decision)
    {
        var index = FindPacket(decision.Node, decision.Peer, decision.Number, out var held);
        if (index < 0 || held) return false;
        var rounds = (int)decision.Client;
        ref var packet = ref CollectionsMarshal.AsSpan(_ready)[index];
        Record(new Decision(DecisionKind.Delay, packet.From, packet.To, packet.Ordinal, rounds));
        packet.ReadyRound = packet.SentRound + rounds;
        packet.DueRound = packet.ReadyRound + 1;
        Note($"held until round {packet.ReadyRound}: {StructuralDiff.Format(packet.Message)}");
        EndLine();
        return true;
    }

    private bool TickAllowed(int node) =>
        _ticksThisRound[node] < _maxTicksPerRound && !_restartedThisRound[node] && !_resting[node] && !BatchFull(node);

    /// <summary>Whether the round owes <paramref name="node"/> a tick before it may end (see <see cref="Reading"/>).</summary>
    private bool OwesTick(int node) =>
        _upAllRound[node] && !_resting[node] &&
        (NamedRests ? _ticksThisRound[node] < OwedTicks : _ticksThisRound[node] == 0 && _silentRounds[node] + 1 >= _maxSilentRounds);

    /// <summary>
    /// <paramref name="node"/> takes no more ticks this round: none, or (with fast clocks under
    /// skew) one of the two a round owes. Under the model only a node the model lets be silent may
    /// rest without a tick (with skew, one that ticked last round).
    /// </summary>
    public bool Rest(int node)
    {
        if (!_up[node] || !_upAllRound[node] || _ticksThisRound[node] >= OwedTicks || _resting[node]) return false;
        var silent = _ticksThisRound[node] == 0;
        if (EnforceModel && silent && _silentRounds[node] + 1 >= _maxSilentRounds) return false;
        Record(new Decision(DecisionKind.Rest, node));
        _resting[node] = true;
        Note(silent ? "takes no tick this round" : "takes no more ticks this round");
        EndLine();
        return true;
    }

    /// <summary>Every node up all round that took fewer ticks than the round owes rests (the scheduler, ending a round of a run).</summary>
    public void RestSilentNodes()
    {
        if (!NamedRests) return;
        for (var node = 0; node < Nodes; node++)
            if (_up[node] && _upAllRound[node] && _ticksThisRound[node] < OwedTicks) Rest(node);
    }

    /// <summary>A delivery, drop or duplicate the model allows (the message itself is looked up next).</summary>
    private bool NetworkActionAllowed(in Decision decision) => decision.Kind switch
    {
        DecisionKind.Drop => _mayDrop && !_live,
        DecisionKind.Duplicate => _mayDuplicate && !_live,
        _ => !ValidNode(decision.Peer) || !BatchFull(decision.Peer),
    };

    /// <summary>
    /// The scheduler flushes a node as soon as its batch reaches its drawn size (at most
    /// <see cref="SimulationOptions.MaxBatchSteps"/>), so no node ever steps or crashes with a full batch.
    /// </summary>
    private bool BatchFull(int node) => _unflushedSteps[node] >= _maxBatchSteps;

    // ----- time -----

    /// <summary>Time advances a round: delayed messages whose time has come become deliverable, and the workload speaks.</summary>
    public void AdvanceRound()
    {
        Record(Decision.Round);
        if (FlushAtRoundEnd)
        {
            for (var node = 0; node < Nodes; node++)
                if (HasPending(node)) Persist(node);
        }

        _round++;
        for (var node = 0; node < Nodes; node++)
        {
            _silentRounds[node] = _upAllRound[node] && _ticksThisRound[node] == 0 ? _silentRounds[node] + 1 : 0;
            _upAllRound[node] = _up[node];
        }

        Array.Clear(_ticksThisRound);
        Array.Clear(_restartedThisRound);
        Array.Clear(_resting);
        if (_delayed.Count > 0) PromoteDue();
        if (_workload is not null)
        {
            UpdateWorkloadContext();
            _workload.OnRound(_workloadContext!);
            TakeWorkloadRequests();
        }

        EndLine();
        Check(-1, null);
    }

    public bool Tick(int node)
    {
        if (!_up[node]) return false;
        Record(new Decision(DecisionKind.Tick, node));
        _ticksThisRound[node]++;
        Ticks++;
        StepNode(node, Input<TMessage, TRequest>.Tick.Instance);
        EndLine();
        return true;
    }

    // ----- the network -----

    /// <summary>Delivers, drops or duplicates the deliverable message at <paramref name="index"/>.</summary>
    public bool ActOnPacket(int index, DecisionKind kind)
    {
        var packet = _ready[index];
        Record(new Decision(kind, packet.From, packet.To, packet.Ordinal));
        switch (kind)
        {
            case DecisionKind.Drop:
                RemoveReady(index);
                Drops++;
                if (TraceLines is not null) Note("dropped " + StructuralDiff.Format(packet.Message));
                break;
            case DecisionKind.Duplicate:
                // The copy is a new network event: due by the end of the next round, which also
                // keeps the FIFO queue ordered by due round.
                _ready.Add(packet with { ReadyRound = _round, DueRound = _round + 1 });
                Duplicates++;
                if (TraceLines is not null) Note("duplicated " + StructuralDiff.Format(packet.Message));
                break;
            default:
                RemoveReady(index);
                Deliver(packet);
                break;
        }

        EndLine();
        return true;
    }

    private void Deliver(in Packet<TMessage> packet)
    {
        if (_cut[packet.From * Nodes + packet.To])
        {
            Lost++;
            if (TraceLines is not null) Note($"lost (link n{packet.From}->n{packet.To} cut): {StructuralDiff.Format(packet.Message)}");
            return;
        }

        if (!_up[packet.To])
        {
            Lost++;
            if (TraceLines is not null) Note($"lost (n{packet.To} down): {StructuralDiff.Format(packet.Message)}");
            return;
        }

        Deliveries++;
        if (TraceLines is not null) Note(StructuralDiff.Format(packet.Message));
        StepNode(packet.To, new Input<TMessage, TRequest>.Receive(new NodeId(packet.From), packet.Message));
    }

    /// <summary>Number of deliverable messages whose bounded delay runs out this round.</summary>
    public int CountDue()
    {
        var count = 0;
        foreach (ref readonly var packet in CollectionsMarshal.AsSpan(_ready))
            if (packet.DueRound <= _round) count++;
        return count;
    }

    /// <summary>
    /// What the scheduler guarantees before it ends a round: every message due this round has been
    /// delivered or lost and every client request has landed (the round itself then persists every
    /// batch).
    /// </summary>
    private bool RoundMayEnd()
    {
        if (_requests.Count > 0) return false;
        foreach (ref readonly var packet in CollectionsMarshal.AsSpan(_ready))
            if (packet.DueRound <= _round) return false;

        // Every tick token is spent before a round ends; a node up all round has had its ticks.
        for (var node = 0; node < Nodes; node++)
            if (OwesTick(node)) return false;
        return true;
    }

    /// <summary>
    /// A <c>round</c> whose obligations are unmet is completed the way the scheduler's
    /// <c>FinishRound</c> would (see <see cref="NextOwed"/>): client requests land, due messages are
    /// delivered, nodes that owe a tick take it, each node flushing first when its batch is full.
    /// This work is implied by the <c>round</c> and not recorded as decisions of its own, so a
    /// schedule names only what a run chose: shrinking deletes the owed ticks, deliveries and
    /// requests of a round, and a replay does them again in the same order. Without it, deleting
    /// one early round would strand every later one (its clients now send other requests at other
    /// times, and the round model refuses to end a round before they land).
    /// </summary>
    private void CompleteRound()
    {
        _owing = true;
        try
        {
            while (!Failed && NextOwed() is { } owed && Apply(owed))
            {
            }
        }
        finally
        {
            _owing = false;
        }
    }

    /// <summary>
    /// The next step the current round owes before it may end, as a decision, or null when it owes
    /// none: first the clients' requests in the order they were sent, then the messages whose
    /// delay runs out this round (the oldest first), then a tick of each node, lowest id first,
    /// that was up all round without one or a <c>rest</c>; a node whose batch is full flushes
    /// before it steps.
    /// </summary>
    public Decision? NextOwed()
    {
        if (_requests.Count > 0)
        {
            var request = _requests[0];
            return BatchFull(request.Node)
                ? new Decision(DecisionKind.Flush, request.Node)
                : new Decision(DecisionKind.Request, request.Node, 0, request.Sequence, request.Client);
        }

        var due = IndexOfDue(0);
        if (due >= 0)
        {
            ref readonly var packet = ref ReadyAt(_fifo ? 0 : due);
            return ValidNode(packet.To) && BatchFull(packet.To)
                ? new Decision(DecisionKind.Flush, packet.To)
                : new Decision(DecisionKind.Deliver, packet.From, packet.To, packet.Ordinal);
        }

        for (var node = 0; node < Nodes; node++)
        {
            if (!OwesTick(node)) continue;
            if (BatchFull(node)) return new Decision(DecisionKind.Flush, node);
            if (TickAllowed(node)) return new Decision(DecisionKind.Tick, node);
        }

        return null;
    }

    /// <summary>The index among deliverable messages of the <paramref name="k"/>-th due one.</summary>
    public int IndexOfDue(int k)
    {
        var span = CollectionsMarshal.AsSpan(_ready);
        for (var i = 0; i < span.Length; i++)
            if (span[i].DueRound <= _round && k-- == 0) return i;
        return -1;
    }

    public bool Cut(int from, int to)
    {
        if (from == to || _cut[from * Nodes + to]) return false;
        Record(new Decision(DecisionKind.Cut, from, to));
        _cut[from * Nodes + to] = true;
        _cuts++;
        CutsMade++;
        UpdateHealth();
        EndLine();
        Check(-1, null);
        return true;
    }

    public bool Heal()
    {
        if (_cuts == 0) return false;
        Record(new Decision(DecisionKind.Heal));
        Array.Clear(_cut);
        _cuts = 0;
        UpdateHealth();
        EndLine();
        Check(-1, null);
        return true;
    }

    /// <summary>The liveness phase begins: the network stops dropping and duplicating.</summary>
    public bool GoLive()
    {
        if (_live) return false;
        Record(new Decision(DecisionKind.Live));
        _live = true;
        _lossy = false;
        _liveSince = _round;
        UpdateHealth();
        EndLine();
        Check(-1, null);
        return true;
    }

    // ----- clients -----

    public bool DeliverRequest(int index)
    {
        var request = _requests[index];
        _requests.RemoveAt(index);
        Record(new Decision(DecisionKind.Request, request.Node, 0, request.Sequence, request.Client));
        if (!_up[request.Node])
        {
            Lost++;
            if (TraceLines is not null) Note($"lost (n{request.Node} down): {StructuralDiff.Format(request.Command)}");
        }
        else if (_clientGateways && Gateway(request.Client) is var gateway && gateway != request.Node && _cut[gateway * Nodes + request.Node])
        {
            Lost++;
            if (TraceLines is not null) Note($"lost (c{request.Client}'s gateway n{gateway} cut from n{request.Node}): {StructuralDiff.Format(request.Command)}");
        }
        else
        {
            RequestsStepped++;
            if (TraceLines is not null) Note(StructuralDiff.Format(request.Command));
            StepNode(request.Node, new Input<TMessage, TRequest>.Request(new ClientId(request.Client), request.Sequence, request.Command));
        }

        EndLine();
        return true;
    }

    /// <summary>The node a client's requests pass through with <see cref="SimulationOptions.ClientGateways"/>: client c's is n(c mod Nodes).</summary>
    private int Gateway(long client) => (int)((ulong)client % (ulong)Nodes);

    public bool Submit(long client, long sequence, int node, int payload)
    {
        if (_payloads is null || (uint)payload >= (uint)_payloads.Count) return false;
        Record(new Decision(DecisionKind.Submit, node, payload, sequence, client));
        _requests.Add(new PendingRequest<TRequest> { Client = client, Sequence = sequence, Node = node, Command = _payloads[payload] });
        EndLine();
        return true;
    }

    // ----- nodes -----

    /// <summary>Writes what the node's batch made durable, then releases its pending messages and replies.</summary>
    public bool Flush(int node)
    {
        if (!HasPending(node)) return false;
        Record(new Decision(DecisionKind.Flush, node));
        Persist(node);
        EndLine();
        return true;
    }

    private bool HasPending(int node) =>
        _up[node] && (_unflushedSteps[node] > 0 || _unsentMessages[node].Count > 0 || _unsentReplies[node].Count > 0);

    private void Persist(int node)
    {
        var sends = _unsentMessages[node];
        var replies = _unsentReplies[node];
        if (!WriteDurable(node, out var written)) return;
        _flushed[node] = _states[node];
        Flushes++;
        if (TraceLines is not null) NoteFlush(node, _unflushedSteps[node], sends.Count, replies.Count, written);
        _unflushedSteps[node] = 0;
        foreach (var send in sends) Enqueue(send);
        sends.Clear();
        if (replies.Count > 0) ReleaseReplies(node, replies);
    }

    /// <summary>
    /// The flush's write, as storage would do it: the hard state when it differs from the last one
    /// written, then the batch's log and snapshot writes. False (and a violation) when protocol code
    /// threw while the host asked for them.
    /// </summary>
    private bool WriteDurable(int node, out string? written)
    {
        written = null;
        var writes = _contexts[node].Durable.Drain();
        var image = _durable[node];
        try
        {
            var hard = _protocol.HardState(_states[node]);
            var flushed = image.Flush(hard, writes);
            if (ReferenceEquals(flushed, image)) return true;
            _durable[node] = flushed;
            if (TraceLines is not null)
                written = Equals(hard, image.Hard) ? writes.ToString() : writes.IsEmpty ? "hard state" : "hard state, " + writes;
        }
        catch (Exception e)
        {
            Fail(StepThrewProperty, PropertyKind.Always, $"n{node} threw while its flush was written: {e.GetType().Name}: {e.Message}", e.GetType().Name);
            return false;
        }

        DurableWrites++;
        EntriesWritten += writes.Puts.Length;
        if (writes.Snapshot is not null) SnapshotsWritten++;
        return true;
    }

    public bool Crash(int node)
    {
        if (!_up[node]) return false;
        Record(new Decision(DecisionKind.Crash, node));
        GoDown(node);
        return true;
    }

    /// <summary>
    /// The node's flush writes what its batch made durable, and the node crashes before its
    /// outbox leaves: the write survives, its messages and replies do not. Persist-before-send
    /// allows exactly this, so a protocol must be safe with it.
    /// </summary>
    public bool FlushCrash(int node)
    {
        if (!_up[node]) return false;
        Record(new Decision(DecisionKind.FlushCrash, node));
        if (_unflushedSteps[node] > 0 || _unsentMessages[node].Count > 0 || _unsentReplies[node].Count > 0)
        {
            if (!WriteDurable(node, out _)) return true;
            _flushed[node] = _states[node];
            Flushes++;
            if (TraceLines is not null)
                Note($"wrote {_unflushedSteps[node]} step(s), then crashed before sending {_unsentMessages[node].Count} message(s) and {_unsentReplies[node].Count} reply(ies)");
            _unflushedSteps[node] = 0;
        }

        GoDown(node);
        return true;
    }

    private void GoDown(int node)
    {
        _up[node] = false;
        _upAllRound[node] = false;
        _down++;
        Crashes++;
        LostSteps += _unflushedSteps[node];
        if (TraceLines is not null)
        {
            var diff = StructuralDiff.Describe(_states[node], _flushed[node]);
            Note($"lost {_unflushedSteps[node]} unflushed step(s) and {_unsentMessages[node].Count} message(s)" + (diff.Length > 0 ? "; rolled back: " + diff : string.Empty));
        }

        _states[node] = _flushed[node];
        _unflushedSteps[node] = 0;
        _unsentMessages[node].Clear();
        _unsentReplies[node].Clear();
        _contexts[node].Clear();
        UpdateHealth();
        EndLine();
        Check(-1, null);
    }

    public bool Restart(int node)
    {
        if (_up[node]) return false;
        Record(new Decision(DecisionKind.Restart, node));
        _up[node] = true;
        _restartedThisRound[node] = true;
        _down--;
        Restarts++;
        TState recovered;
        var image = _durable[node];
        try
        {
            recovered = _protocol.Recover(_configs[node], image);
            if (_checkRecovery && !Equals(_protocol.HardState(recovered), image.Hard))
            {
                Fail(RecoveryProperty, PropertyKind.Always, $"n{node} recovered hard state {_protocol.HardState(recovered)} from {image.Hard}");
                EndLine();
                return true;
            }
        }
        catch (Exception e)
        {
            Fail(StepThrewProperty, PropertyKind.Always, $"n{node} threw in Recover: {e.GetType().Name}: {e.Message}", e.GetType().Name);
            EndLine();
            return true;
        }

        if (TraceLines is not null)
        {
            var diff = StructuralDiff.Describe(_flushed[node], recovered);
            if (diff.Length > 0) Note("recovered (volatile state reset or rebuilt): " + diff);
        }

        _flushed[node] = recovered;

        _states[node] = recovered;
        UpdateHealth();
        EndLine();
        Check(-1, null);
        return true;
    }

    /// <summary>The in-flight messages in order, for scripted worlds.</summary>
    public List<Envelope<TMessage>> InFlight()
    {
        var list = new List<Envelope<TMessage>>(_ready.Count + _delayed.Count);
        foreach (var packet in _ready) list.Add(new Envelope<TMessage>(new NodeId(packet.From), new NodeId(packet.To), packet.Message));
        foreach (var packet in _delayed) list.Add(new Envelope<TMessage>(new NodeId(packet.From), new NodeId(packet.To), packet.Message));
        return list;
    }

    // ----- internals -----

    private void StepNode(int node, Input<TMessage, TRequest> input)
    {
        var before = _states[node];
        var context = _contexts[node];
        Inputs?.Add((new NodeId(node), input));
        TState after;
        try
        {
            after = _protocol.Step(context, before, input);
        }
        catch (Exception e)
        {
            context.Clear();
            _steps++;
            Fail(StepThrewProperty, PropertyKind.Always, $"n{node} threw {e.GetType().Name}: {e.Message}", e.GetType().Name);
            return;
        }

        _steps++;
        if (after is null)
        {
            context.Clear();
            Fail(StepThrewProperty, PropertyKind.Always, $"n{node} returned a null state", "null state");
            return;
        }

        _states[node] = after;
        var sends = context.PendingSends;
        var replies = context.PendingReplies;
        Recorder?.Add(node, after, sends, replies);
        if (TraceLines is not null) NoteStep(node, before, after, sends, replies);
        if (sends.Length > 0) _unsentMessages[node].AddRange(sends);
        if (replies.Length > 0) _unsentReplies[node].AddRange(replies);
        context.ClearOutbox();
        _unflushedSteps[node]++;
        Check(node, before);
    }

    private void Enqueue(in Envelope<TMessage> send)
    {
        var from = send.From.Value;
        var to = send.To.Value;
        if ((uint)to >= (uint)Nodes)
        {
            Fail(StepThrewProperty, PropertyKind.Always, $"n{from} sent to unknown node {send.To}", "unknown node");
            return;
        }

        var delay = _delayRandom is null ? 0 : _delayRandom.Next(_maxDelayRounds + 1);

        // A replay of an older format does not know the delays the run drew, only their bound; one
        // that reads delays as decisions learns them from the `delay` that follows.
        var slack = _delayRandom is null && _reorder && !NamedDelays ? _maxDelayRounds : 0;
        var packet = new Packet<TMessage>
        {
            From = from,
            To = to,
            Ordinal = ++_linkOrdinals[from * Nodes + to],
            SentRound = _round,
            ReadyRound = _round + delay,
            DueRound = _round + delay + slack + 1,
            Message = send.Message,
        };
        if (delay == 0) _ready.Add(packet);
        else _delayed.Add(packet);

        // A run names what it drew, right after the flush that released the message.
        if (delay > 0 && NamedDelays) Record(new Decision(DecisionKind.Delay, from, to, packet.Ordinal, delay));
    }

    private void ReleaseReplies(int node, List<ClientReply<TReply>> replies)
    {
        Replies?.AddRange(replies);
        if (_workload is not null)
        {
            UpdateWorkloadContext();
            foreach (var reply in replies) _workload.OnReply(_workloadContext!, new NodeId(node), reply);
            TakeWorkloadRequests();
        }

        replies.Clear();
    }

    private void UpdateWorkloadContext()
    {
        var context = _workloadContext!;
        context.Step = _steps;
        context.Time = _round;
        context.HealthyForTime = HealthyForTime;
        context.IsLivenessPhase = _live;
    }

    private void TakeWorkloadRequests()
    {
        var sent = _workloadContext!.Sent;
        foreach (var (client, sequence, node, command) in sent)
            _requests.Add(new PendingRequest<TRequest> { Client = client.Value, Sequence = sequence, Node = node.Value, Command = command });
        sent.Clear();
    }

    private void PromoteDue()
    {
        // Stable compaction keeps the delayed list in send order.
        var kept = 0;
        for (var i = 0; i < _delayed.Count; i++)
        {
            var packet = _delayed[i];
            if (packet.ReadyRound <= _round) _ready.Add(packet);
            else _delayed[kept++] = packet;
        }

        _delayed.RemoveRange(kept, _delayed.Count - kept);
    }

    private int Promote(int delayedIndex)
    {
        _ready.Add(_delayed[delayedIndex]);
        _delayed.RemoveAt(delayedIndex);
        return _ready.Count - 1;
    }

    private void RemoveReady(int index)
    {
        if (_preserveOrder)
        {
            _ready.RemoveAt(index);
            return;
        }

        var last = _ready.Count - 1;
        _ready[index] = _ready[last];
        _ready.RemoveAt(last);
    }

    private int FindPacket(int from, int to, long ordinal, out bool delayed)
    {
        delayed = false;
        for (var i = 0; i < _ready.Count; i++)
        {
            var packet = _ready[i];
            if (packet.Ordinal == ordinal && packet.From == from && packet.To == to) return i;
        }

        delayed = true;
        for (var i = 0; i < _delayed.Count; i++)
        {
            var packet = _delayed[i];
            if (packet.Ordinal == ordinal && packet.From == from && packet.To == to) return i;
        }

        return Lenient ? FindStandIn(from, to, ordinal, out delayed) : -1;
    }

    /// <summary>
    /// While shrinking, a decision about a message that no longer exists (because the steps that
    /// sent the earlier messages of its link were deleted, so ordinals shifted) applies to a stand-in:
    /// the newest message on the same link not newer than the one named. That keeps the relative
    /// order of recent messages, which is usually what a counterexample is about, and lets ddmin
    /// delete history. The shrunk schedule is recorded from what the replay really did, so it
    /// names the stand-ins and replays exactly.
    /// </summary>
    private int FindStandIn(int from, int to, long ordinal, out bool delayed)
    {
        var best = -1;
        var bestOrdinal = long.MinValue;
        delayed = false;
        for (var list = 0; list < 2; list++)
        {
            var packets = list == 0 ? _ready : _delayed;
            for (var i = 0; i < packets.Count; i++)
            {
                var packet = packets[i];
                if (packet.From != from || packet.To != to || packet.Ordinal > ordinal || packet.Ordinal <= bestOrdinal) continue;
                best = i;
                bestOrdinal = packet.Ordinal;
                delayed = list == 1;
            }
        }

        return best;
    }

    private int FindRequest(long client, long sequence, int node)
    {
        for (var i = 0; i < _requests.Count; i++)
        {
            var request = _requests[i];
            if (request.Client == client && request.Sequence == sequence && request.Node == node) return i;
        }

        // While shrinking, the client's oldest request in flight stands in (its choices shifted with the rounds deleted).
        if (Lenient)
        {
            for (var i = 0; i < _requests.Count; i++)
                if (_requests[i].Client == client) return i;
        }

        return -1;
    }

    private bool ValidNode(int node) => (uint)node < (uint)Nodes;

    private void UpdateHealth()
    {
        if (_cuts == 0 && !_lossy)
        {
            if (_reliableSince < 0) _reliableSince = _round;
        }
        else
        {
            _reliableSince = -1;
        }

        if (_down == 0 && _cuts == 0 && !_lossy)
        {
            if (_healthySince < 0) _healthySince = _round;
        }
        else
        {
            _healthySince = -1;
        }
    }
}
