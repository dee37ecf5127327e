using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Placement;
using Orleans.Storage;
using OrleansNodes.Core;
using OrleansNodes.Hosting.Clients;
using OrleansNodes.Hosting.Clusters;
using OrleansNodes.Hosting.Protocols;

namespace OrleansNodes.Hosting.Nodes;

/// <summary>
/// The Orleans interpreter of the node loop (DESIGN.md). Arriving inputs — one-way peer
/// messages, timer ticks, client requests — only enqueue. A single drain loop steps every
/// waiting input, writes the state once per batch, and only then sends the batch's messages
/// and completes its client replies: persist-before-send, etcd/raft's <c>Ready</c> contract.
/// </summary>
/// <remarks>
/// <para>The grain is not reentrant, but its input methods are <c>AlwaysInterleave</c>: they
/// run between the drain loop's awaits, which is what lets inputs pile up while a write is in
/// flight and makes batches (and thousands of steps per second) possible. Turns never run in
/// parallel, so the loop needs no locks.</para>
/// <para>A failed write — an ETag conflict because Orleans briefly ran a second activation, or
/// storage being down — is treated as a crash: the batch's outbox is dropped, waiting clients
/// get "unknown outcome", and the activation deactivates. The next activation recovers from
/// the last persisted state, exactly as the simulator models a crash.</para>
/// </remarks>
public sealed partial class NodeGrain : Grain, INodeGrain, IRemindable
{
    private const string KeepAliveReminderName = "on.keepalive";

    // Rebalance checks the active silos must stay the same for before a node moves.
    private const int StableChecksBeforeMove = 2;

    private readonly IPersistentState<NodeRecord> _record;
    private readonly ProtocolRegistry _protocols;
    private readonly INodeNetwork _network;
    private readonly NodeHostOptions _options;
    private readonly ILogger<NodeGrain> _logger;
    private readonly IClusterMembershipService _membership;
    private readonly Queue<NodeInput> _inbox = new();
    private readonly Dictionary<(ClientId Client, long Sequence), List<Waiter>> _waiting = [];
    private readonly List<Envelope<object>> _sends = [];
    private readonly List<ClientReply<object>> _replies = [];

    private string _cluster = string.Empty;
    private NodeId _self;
    private NodeRunner? _runner;
    private IGrainTimer? _ticker;
    private bool _draining;
    private bool _stopped;
    private Task _drain = Task.CompletedTask;
    private long _ticks;
    private long _steps;
    private long _messagesSent;
    private long _expiryCheckedAtTick;
    private SiloAddress[] _lastActive = [];
    private int _stableChecks;

    /// <summary>Created by Orleans.</summary>
    public NodeGrain(
        [PersistentState("node", NodeHostOptions.StorageName)] IPersistentState<NodeRecord> record,
        ProtocolRegistry protocols,
        INodeNetwork network,
        IOptions<NodeHostOptions> options,
        IClusterMembershipService membership,
        ILogger<NodeGrain> logger)
    {
        _membership = membership;
        _record = record;
        _protocols = protocols;
        _network = network;
        _options = options.Value;
        _logger = logger;
    }

    /// <inheritdoc/>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        if (!NodeKey.TryParse(key, out _cluster, out _self))
            throw new ArgumentException($"'{key}' is not a node key (<cluster>/<index>)");
        if (_record.State.Definition is { } definition) await BootAsync(definition);
    }

    /// <inheritdoc/>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Let a batch whose write is in flight finish, so its replies are not failed needlessly.
        try
        {
            await _drain.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
        FailWaiting("the node deactivated (" + reason.ReasonCode + ")");
    }

    /// <inheritdoc/>
    public async Task Start(ClusterDefinition definition)
    {
        if (_record.State.Definition is { } existing)
        {
            if (existing == definition) return;
            throw new InvalidOperationException($"node {this.GetPrimaryKeyString()} already belongs to cluster {existing}");
        }
        if (definition.Name != _cluster || _self.Value >= definition.NodeCount)
            throw new ArgumentException($"node {this.GetPrimaryKeyString()} is not a member of {definition}");

        var protocol = _protocols.Get(definition.Protocol);
        var initial = protocol.Start(_self, definition.NodeCount, definition.Settings, definition.Seed, persisted: null);
        _record.State = new NodeRecord { Definition = definition, State = initial.State, Version = 1 };
        await _record.WriteStateAsync();
        await BootAsync(definition);
    }

    /// <inheritdoc/>
    public Task Deliver(NodeId from, object message)
    {
        // A node that is not running is a node that is down: its messages are lost.
        if (_runner is null || _stopped) return Task.CompletedTask;
        if (!_runner.AcceptsMessage(message))
        {
            LogForeignMessage(_cluster, _self, message.GetType().Name);
            return Task.CompletedTask;
        }
        Enqueue(NodeInput.Message(from, message));
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<RequestOutcome> Request(ClientId client, long sequence, object command)
    {
        if (_stopped) return Task.FromResult<RequestOutcome>(new RequestOutcome.Unknown($"{_self} is stopping"));
        if (_runner is null) return Task.FromResult<RequestOutcome>(new RequestOutcome.Rejected($"{this.GetPrimaryKeyString()} is not a started node"));
        if (!_runner.AcceptsCommand(command))
            return Task.FromResult<RequestOutcome>(new RequestOutcome.Rejected($"{command.GetType().Name} is not a command of protocol {_record.State.Definition!.Protocol}"));

        var waiter = new Waiter(new TaskCompletionSource<RequestOutcome>(TaskCreationOptions.RunContinuationsAsynchronously), _ticks + _options.RequestTimeoutTicks);
        if (!_waiting.TryGetValue((client, sequence), out var waiters)) _waiting[(client, sequence)] = waiters = [];
        waiters.Add(waiter);
        Enqueue(NodeInput.Request(client, sequence, command));
        return waiter.Completion.Task;
    }

    /// <inheritdoc/>
    public Task<NodeStatus> GetStatus() => Task.FromResult(new NodeStatus(
        _cluster,
        _self,
        Running: _runner is not null && !_stopped,
        Description: _runner?.Describe() ?? "not started",
        _ticks,
        _inbox.Count,
        _steps,
        _messagesSent,
        _record.State.Version,
        _waiting.Sum(w => w.Value.Count),
        GrainContext.Address.SiloAddress?.ToParsableString() ?? ""));

    /// <inheritdoc/>
    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // Being activated is the whole point of the reminder: activation restarted the ticker.
        // A node that was never started has nothing to keep alive.
        if (_record.State.Definition is null) return UnregisterKeepAliveAsync();
        return Task.CompletedTask;
    }

    private async Task BootAsync(ClusterDefinition definition)
    {
        if (!_protocols.TryGet(definition.Protocol, out var protocol))
        {
            LogUnknownProtocol(_cluster, _self, definition.Protocol);
            return;
        }
        _runner = protocol.Start(_self, definition.NodeCount, definition.Settings, definition.Seed, _record.State.State);
        _ticker = this.RegisterGrainTimer(
            OnTickAsync,
            new GrainTimerCreationOptions(_options.TickPeriod, _options.TickPeriod) { KeepAlive = true, Interleave = false });
        if (_options.RebalancePeriod is { } rebalance)
            this.RegisterGrainTimer(MoveIfMisplacedAsync, new GrainTimerCreationOptions(rebalance, rebalance) { KeepAlive = true, Interleave = false });
        if (_options.KeepAliveReminderPeriod is { } period)
            await this.RegisterOrUpdateReminder(KeepAliveReminderName, period, period);
    }

    // Orleans activates a node on a live silo, usually its caller's, so a whole cluster woken by
    // one silo gathers there. Every RebalancePeriod, a node not where NodeSpread puts it migrates
    // there, with that silo as the placement hint. Only a settled membership counts: the same
    // active silos for StableChecksBeforeMove checks in a row and no endpoint listed twice (a
    // restarted silo whose dead generation is not yet declared dead), since moving toward a
    // silo that is joining or gone would strand the node. Checked here first because
    // MigrateOnIdle deactivates even when placement picks this same silo.
    private async Task MoveIfMisplacedAsync(CancellationToken cancellationToken)
    {
        var here = GrainContext.Address.SiloAddress;
        var active = _membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).Order().ToArray();
        _stableChecks = active.SequenceEqual(_lastActive) ? _stableChecks + 1 : 0;
        _lastActive = active;
        if (_stopped || here is null || active.Length < 2 || !active.Contains(here) || _stableChecks < StableChecksBeforeMove) return;
        if (active.Select(s => s.Endpoint).Distinct().Count() != active.Length) return;

        var wanted = NodeSpread.Choose(this.GetPrimaryKeyString(), active);
        if (wanted.Equals(here)) return;
        LogMoving(_cluster, _self, here.ToString(), wanted.ToString());
        // Async, so the hint stays in this callback's request context and no later call carries it.
        await Task.Yield();
        RequestContext.Set(IPlacementDirector.PlacementHintKey, wanted);
        MigrateOnIdle();
    }

    private async Task UnregisterKeepAliveAsync()
    {
        if (await this.GetReminder(KeepAliveReminderName) is { } reminder) await this.UnregisterReminder(reminder);
    }

    private Task OnTickAsync(CancellationToken cancellationToken)
    {
        if (!_stopped) Enqueue(NodeInput.Tick);
        return Task.CompletedTask;
    }

    private void Enqueue(in NodeInput input)
    {
        _inbox.Enqueue(input);
        if (_draining) return;
        _draining = true;
        _drain = DrainAsync();
    }

    /// <summary>The node loop: step everything waiting, persist once, then let the effects out.</summary>
    private async Task DrainAsync()
    {
        try
        {
            // Yield once so inputs arriving in the same instant join the first batch.
            await Task.Yield();
            while (_inbox.Count > 0 && !_stopped)
            {
                if (StepBatch()) await PersistAsync();
                Release();
            }
        }
        catch (Exception exception)
        {
            Stop(exception);
        }
        finally
        {
            _draining = false;
        }
    }

    /// <summary>Steps up to <see cref="NodeHostOptions.MaxBatchSize"/> inputs; true when the state changed.</summary>
    private bool StepBatch()
    {
        var runner = _runner!;
        var changed = false;
        for (var i = 0; i < _options.MaxBatchSize && _inbox.TryDequeue(out var input); i++)
        {
            if (input.Kind == NodeInputKind.Tick) _ticks++;
            changed |= runner.Step(input);
            _steps++;
        }
        return changed;
    }

    private async Task PersistAsync()
    {
        _record.State = _record.State with { State = _runner!.State, Version = _record.State.Version + 1 };
        await _record.WriteStateAsync();
    }

    /// <summary>Sends the persisted batch's messages and completes its replies.</summary>
    private void Release()
    {
        _runner!.CollectEffects(_sends, _replies);
        foreach (var send in _sends) _network.Send(_cluster, send);
        _messagesSent += _sends.Count;
        foreach (var reply in _replies)
        {
            if (!_waiting.Remove((reply.Client, reply.Sequence), out var waiters)) continue;
            foreach (var waiter in waiters) waiter.Completion.TrySetResult(new RequestOutcome.Replied(reply.Reply, _self));
        }
        _sends.Clear();
        _replies.Clear();
        ExpireWaiting();
    }

    /// <summary>Answers "unknown outcome" to requests the protocol has not replied to within the timeout.</summary>
    private void ExpireWaiting()
    {
        if (_ticks == _expiryCheckedAtTick || _waiting.Count == 0) return;
        _expiryCheckedAtTick = _ticks;
        List<(ClientId, long)>? emptied = null;
        foreach (var (id, waiters) in _waiting)
        {
            var expired = waiters.RemoveAll(waiter =>
            {
                if (waiter.DeadlineTick > _ticks) return false;
                waiter.Completion.TrySetResult(new RequestOutcome.Unknown($"{_self} had no reply within {_options.RequestTimeoutTicks} ticks"));
                return true;
            });
            if (expired > 0 && waiters.Count == 0) (emptied ??= []).Add(id);
        }
        if (emptied is not null)
            foreach (var id in emptied) _waiting.Remove(id);
    }

    /// <summary>A crash: nothing of the unpersisted batch leaves, and this activation goes away.</summary>
    private void Stop(Exception exception)
    {
        _stopped = true;
        _runner?.DiscardEffects();
        _sends.Clear();
        _replies.Clear();
        _inbox.Clear();
        _ticker?.Dispose();
        if (exception is InconsistentStateException)
            LogStaleActivation(_cluster, _self, exception.Message);
        else
            LogStepOrWriteFailed(exception, _cluster, _self);
        FailWaiting($"{_self} failed to persist its state; the request may or may not have taken effect");
        DeactivateOnIdle();
    }

    private void FailWaiting(string reason)
    {
        foreach (var waiters in _waiting.Values)
            foreach (var waiter in waiters) waiter.Completion.TrySetResult(new RequestOutcome.Unknown(reason));
        _waiting.Clear();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Cluster}/{Node}: dropped a {MessageType}, which is not a message of this node's protocol")]
    private partial void LogForeignMessage(string cluster, NodeId node, string messageType);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Cluster}/{Node}: protocol '{Protocol}' is not registered in this silo; the node stays down")]
    private partial void LogUnknownProtocol(string cluster, NodeId node, string protocol);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Cluster}/{Node}: another activation wrote the state first ({Detail}); stopping this one without sending")]
    private partial void LogStaleActivation(string cluster, NodeId node, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Cluster}/{Node} moves from silo {From} to {To}, where it belongs now that more silos are up")]
    private partial void LogMoving(string cluster, NodeId node, string from, string to);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Cluster}/{Node}: a step or state write failed; dropping the batch and deactivating")]
    private partial void LogStepOrWriteFailed(Exception exception, string cluster, NodeId node);

    private readonly record struct Waiter(TaskCompletionSource<RequestOutcome> Completion, long DeadlineTick);
}
