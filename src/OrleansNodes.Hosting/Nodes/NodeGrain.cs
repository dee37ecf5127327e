using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using OrleansNodes.Core;
using OrleansNodes.Hosting.Clients;
using OrleansNodes.Hosting.Clusters;
using OrleansNodes.Hosting.Placement;
using OrleansNodes.Hosting.Protocols;
using OrleansNodes.Hosting.Storage;
using OrleansNodes.Hosting.Telemetry;

namespace OrleansNodes.Hosting.Nodes;

/// <summary>
/// The Orleans interpreter of the node loop (DESIGN.md). Arriving inputs — one-way peer
/// messages, timer ticks, client requests — only enqueue. A single drain loop steps every
/// waiting input, writes what the batch made durable in one flush (the hard state when it
/// changed, the log entries and snapshot it wrote: docs/design-decisions.md §9), and only then
/// sends the batch's messages and completes its client replies: persist-before-send, etcd/raft's
/// <c>Ready</c> contract. A batch that changed nothing durable writes nothing.
/// </summary>
/// <remarks>
/// <para>The grain is not reentrant, but its input methods are <c>AlwaysInterleave</c>: they
/// run between the drain loop's awaits, which is what lets inputs pile up while a write is in
/// flight and makes batches (and thousands of steps per second) possible. Turns never run in
/// parallel, so the loop needs no locks.</para>
/// <para>A failed write — refused because Orleans briefly ran a second activation that wrote
/// first (<see cref="StaleWriteException"/>), or storage being down — is treated as a crash: the
/// batch's outbox is dropped, waiting clients get "unknown outcome", and the activation
/// deactivates. The next activation recovers from what storage holds (<c>Recover</c>), exactly as
/// the simulator models a crash.</para>
/// <para>Where it runs is not its business: <see cref="SpreadPlacement"/> chooses the silo, and
/// <see cref="PlacementKeeper"/> moves it (<see cref="Move"/>) when its cluster is unevenly
/// spread; the grain only tells <see cref="NodeLocations"/> when it starts and stops here.</para>
/// </remarks>
[SpreadPlacement]
[GrainType(GrainTypeName)]
public sealed partial class NodeGrain : Grain, INodeGrain, IRemindable
{
    /// <summary>The grain type of every node (grain ids are <c>node/&lt;cluster&gt;/&lt;index&gt;</c>).</summary>
    public const string GrainTypeName = "node";

    private const string KeepAliveReminderName = "on.keepalive";

    // The stages of NodeMetrics.RequestStage, in the order RecordStages records them.
    private static readonly string[] StageNames = ["queued", "batch", "waiting", "reply"];

    private readonly NodeStore _store;
    private readonly Serializer _serializer;
    private readonly ProtocolRegistry _protocols;
    private readonly INodeNetwork _network;
    private readonly NodeHostOptions _options;
    private readonly ILogger<NodeGrain> _logger;
    private readonly NodeLocations _locations;
    private readonly SiloShutdown _shutdown;
    private readonly Queue<NodeInput> _inbox = new();
    private readonly Dictionary<(ClientId Client, long Sequence), List<Waiter>> _waiting = [];
    private readonly List<Envelope<object>> _sends = [];
    private readonly List<ClientReply<object>> _replies = [];

    // Where requests' and messages' time goes (NodeMetrics.RequestStage, MessageTurnaround): the
    // waiters and the arrival times of the messages stepped in the current batch, and when it started.
    private readonly List<Waiter> _steppedWaiters = [];
    private readonly List<long> _arrivals = [];
    private long _batchStarted;

    private readonly SortedSet<long> _durableLog = [];
    private readonly StorageRate _rate = new();

    private string _key = string.Empty;
    private string _cluster = string.Empty;
    private NodeId _self;
    private ClusterDefinition? _definition;
    private long _version;
    private long? _snapshotIndex;
    private long _snapshotBytes;
    private long _storageWrites;
    private long _storageBytes;
    private NodeRunner? _runner;
    private IGrainTimer? _ticker;
    private bool _draining;
    private bool _stopped;
    private Task _drain = Task.CompletedTask;
    private long _ticks;
    private long _steps;
    private long _messagesSent;
    private long _expiryCheckedAtTick;
    private bool _leading;

    // Metric tags: by cluster and node for counters, by cluster for histograms.
    private KeyValuePair<string, object?>[] _nodeTags = [];
    private KeyValuePair<string, object?>[] _clusterTags = [];
    private KeyValuePair<string, object?>[][] _stageTags = [];

    // Reported once per batch, not per input: the inbox depth last reported, messages received since.
    private int _inboxReported;
    private long _receivedUnreported;

    /// <summary>Created by Orleans.</summary>
    public NodeGrain(
        NodeStore store,
        Serializer serializer,
        ProtocolRegistry protocols,
        INodeNetwork network,
        IOptions<NodeHostOptions> options,
        NodeLocations locations,
        SiloShutdown shutdown,
        ILogger<NodeGrain> logger)
    {
        _locations = locations;
        _shutdown = shutdown;
        _store = store;
        _serializer = serializer;
        _protocols = protocols;
        _network = network;
        _options = options.Value;
        _logger = logger;
    }

    /// <inheritdoc/>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = this.GetPrimaryKeyString();
        if (!NodeKey.TryParse(_key, out _cluster, out _self))
            throw new ArgumentException($"'{_key}' is not a node key (<cluster>/<index>)");
        _clusterTags = [new("cluster", _cluster)];
        _nodeTags = [new("cluster", _cluster), new("node", _self.ToString())];
        _stageTags = [.. StageNames.Select(stage => new KeyValuePair<string, object?>[] { new("cluster", _cluster), new("stage", stage) })];
        // Exporters write a series from its first measurement on. These may not move for days,
        // so they start at zero: the inbox then reads 0 rather than no data, and Prometheus'
        // increase() sees a node's first stale write or leadership (from an absent series to 1 it
        // sees nothing).
        NodeMetrics.Inbox.Add(0, _nodeTags);
        NodeMetrics.StaleWrites.Add(0, _nodeTags);
        NodeMetrics.LeaderChanges.Add(0, _nodeTags);
        if (GrainContext.Address.SiloAddress is { } here) _locations.Activated(_key, _cluster, _self, here);
        if (await _store.ReadAsync(_key, cancellationToken) is not { } stored) return;

        ClusterDefinition definition;
        NodeRunner? runner = null;
        try
        {
            definition = _serializer.Deserialize<ClusterDefinition>(stored.Definition) ?? throw new InvalidDataException("the stored cluster definition is empty");
            if (_protocols.TryGet(definition.Protocol, out var protocol))
                runner = protocol.Start(_self, definition.NodeCount, definition.Settings, definition.Seed, Decode(stored));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Undecodable bytes, or a Recover that refuses what it was given: the node stays down,
            // and its callers get one line (the cause's own type may not cross to them).
            LogUnreadable(exception, _cluster, _self, _store.Description);
            throw new NodeStoreException($"node {_key} in {_store.Description} cannot be read: {exception.Message}");
        }
        _definition = definition;
        _version = stored.Version;
        _snapshotIndex = stored.Snapshot?.Index;
        _snapshotBytes = stored.Snapshot?.Bytes ?? 0;
        foreach (var entry in stored.Log) _durableLog.Add(entry.Index);
        if (runner is null) LogUnknownProtocol(_cluster, _self, definition.Protocol);
        else await RunAsync(runner);
    }

    /// <inheritdoc/>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _locations.Deactivated(_key);
        // Let a batch whose write is in flight finish, so its replies are not failed needlessly.
        try
        {
            await _drain.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
        // This activation's inbox stops counting; whatever it still holds is not cleared for that.
        if (_inboxReported != 0) NodeMetrics.Inbox.Add(-_inboxReported, _nodeTags);
        _inboxReported = 0;
        FailWaiting("the node deactivated (" + reason.ReasonCode + ")");
    }

    /// <inheritdoc/>
    public async Task Start(ClusterDefinition definition)
    {
        if (_definition is { } existing)
        {
            if (existing == definition) return;
            throw new InvalidOperationException($"node {_key} already belongs to cluster {existing}");
        }
        if (definition.Name != _cluster || _self.Value >= definition.NodeCount)
            throw new ArgumentException($"node {_key} is not a member of {definition}");

        // The node's first write: its definition and the hard state of Init.
        var runner = _protocols.Get(definition.Protocol).Start(_self, definition.NodeCount, definition.Settings, definition.Seed, image: null);
        var flush = runner.TakeFlush()!;
        await WriteAsync(flush, _serializer.SerializeToArray(definition));
        runner.Flushed(flush);
        _definition = definition;
        await RunAsync(runner);
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
        _receivedUnreported++;
        Enqueue(NodeInput.Message(from, message, NodeMetrics.MessageTurnaround.Enabled ? Stopwatch.GetTimestamp() : 0));
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task DeliverWithReceipt(NodeId from, object message, CancellationToken cancellation) => Deliver(from, message);

    /// <inheritdoc/>
    public Task<RequestOutcome> Request(ClientId client, long sequence, object command)
    {
        if (_stopped) return Task.FromResult<RequestOutcome>(new RequestOutcome.Unknown($"{_self} is stopping"));
        if (_shutdown.IsStopping) return Task.FromResult<RequestOutcome>(new RequestOutcome.Rejected($"{_self}'s silo is stopping", Transient: true));
        if (_runner is null) return Task.FromResult<RequestOutcome>(new RequestOutcome.Rejected($"{_key} is not a started node", Transient: true));
        if (!_runner.AcceptsCommand(command))
            return Task.FromResult<RequestOutcome>(new RequestOutcome.Rejected($"{command.GetType().Name} is not a command of protocol {_definition!.Protocol}"));

        var waiter = new Waiter(new TaskCompletionSource<RequestOutcome>(TaskCreationOptions.RunContinuationsAsynchronously), _ticks + _options.RequestTimeoutTicks, Stopwatch.GetTimestamp());
        if (!_waiting.TryGetValue((client, sequence), out var waiters)) _waiting[(client, sequence)] = waiters = [];
        waiters.Add(waiter);
        Enqueue(NodeInput.Request(client, sequence, command));
        return waiter.Completion.Task;
    }

    /// <inheritdoc/>
    public Task<NodeStatus> GetStatus()
    {
        var (writes, bytes, flushSeconds) = _rate.Recent();
        return Task.FromResult(new NodeStatus(
            _cluster,
            _self,
            Running: _runner is not null && !_stopped,
            Description: _runner?.Describe() ?? "not started",
            _ticks,
            _inbox.Count,
            _steps,
            _messagesSent,
            _version,
            _waiting.Sum(w => w.Value.Count),
            GrainContext.Address.SiloAddress?.ToParsableString() ?? "",
            _storageWrites,
            _storageBytes,
            writes,
            bytes,
            _durableLog.Count,
            _snapshotIndex,
            _snapshotBytes,
            View: _runner?.Inspect(),
            FlushSeconds: flushSeconds));
    }

    /// <inheritdoc/>
    public Task Move()
    {
        LogMoving(_cluster, _self, GrainContext.Address.SiloAddress?.ToString() ?? "?");
        // Waiting requests would hold the activation until they time out (inputs queue while it
        // deactivates, so nothing else can answer them); they end now, and clients retry them.
        FailWaiting($"{_self} is moving to another silo");
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task SiloStopping()
    {
        FailWaiting($"{_self}'s silo is stopping");
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // Being activated is the whole point of the reminder: activation restarted the ticker.
        // A node that was never started has nothing to keep alive.
        if (_definition is null) return UnregisterKeepAliveAsync();
        return Task.CompletedTask;
    }

    /// <summary>Starts ticking <paramref name="runner"/>'s node and keeps it alive across silo deaths.</summary>
    private async Task RunAsync(NodeRunner runner)
    {
        _runner = runner;
        _ticker = this.RegisterGrainTimer(
            OnTickAsync,
            new GrainTimerCreationOptions(_options.TickPeriod, _options.TickPeriod) { KeepAlive = true, Interleave = false });
        if (_options.KeepAliveReminderPeriod is { } period)
            await this.RegisterOrUpdateReminder(KeepAliveReminderName, period, period);
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
                StepBatch();
                if (_runner!.TakeFlush() is { } flush)
                {
                    await WriteAsync(flush, definition: null);
                    _runner.Flushed(flush);
                }
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

    /// <summary>Steps up to <see cref="NodeHostOptions.MaxBatchSize"/> inputs.</summary>
    private void StepBatch()
    {
        var runner = _runner!;
        var stepped = 0;
        _batchStarted = Stopwatch.GetTimestamp();
        var timing = NodeMetrics.RequestStage.Enabled;
        for (; stepped < _options.MaxBatchSize && _inbox.TryDequeue(out var input); stepped++)
        {
            if (input.Kind == NodeInputKind.Tick) _ticks++;
            else if (input.Arrived != 0) _arrivals.Add(input.Arrived);
            else if (timing && input.Kind == NodeInputKind.Request) MarkStepped(input.Client, input.Sequence);
            runner.Step(input);
            _steps++;
        }
        NodeMetrics.Steps.Add(stepped, _nodeTags);
        NodeMetrics.BatchInputs.Record(stepped, _clusterTags);
        ReportInbox();
        // Inspect allocates a view; with no exporter listening nobody counts leader changes.
        if (!NodeMetrics.LeaderChanges.Enabled) return;
        var leading = runner.Inspect().Leading;
        if (leading && !_leading) NodeMetrics.LeaderChanges.Add(1, _nodeTags);
        _leading = leading;
    }

    /// <summary>Notes that the requests waiting under this id were taken in by the batch now stepping.</summary>
    private void MarkStepped(ClientId client, long sequence)
    {
        if (!_waiting.TryGetValue((client, sequence), out var waiters)) return;
        foreach (var waiter in waiters)
        {
            if (waiter.Stepped != 0) continue;
            waiter.Stepped = _batchStarted;
            _steppedWaiters.Add(waiter);
        }
    }

    /// <summary>Records where a replied request's time went (<see cref="NodeMetrics.RequestStage"/>); <paramref name="released"/> is now.</summary>
    private void RecordStages(Waiter waiter, long released)
    {
        if (waiter.Stepped == 0) return;
        var sameBatch = waiter.Stepped == _batchStarted;
        NodeMetrics.RequestStage.Record(Seconds(waiter.Stepped - waiter.Arrived), _stageTags[0]);
        NodeMetrics.RequestStage.Record(Seconds(waiter.Released - waiter.Stepped), _stageTags[1]);
        NodeMetrics.RequestStage.Record(sameBatch ? 0 : Seconds(_batchStarted - waiter.Released), _stageTags[2]);
        NodeMetrics.RequestStage.Record(sameBatch ? 0 : Seconds(released - _batchStarted), _stageTags[3]);
    }

    private static double Seconds(long timestamps) => (double)timestamps / Stopwatch.Frequency;

    /// <summary>Brings the inbox gauge and the received-messages counter up to date.</summary>
    private void ReportInbox()
    {
        if (_inbox.Count != _inboxReported)
        {
            NodeMetrics.Inbox.Add(_inbox.Count - _inboxReported, _nodeTags);
            _inboxReported = _inbox.Count;
        }
        if (_receivedUnreported == 0) return;
        NodeMetrics.MessagesReceived.Add(_receivedUnreported, _nodeTags);
        _receivedUnreported = 0;
    }

    /// <summary>
    /// Writes one flush: serialized with the Orleans serializer (snapshot chunks one at a time, as
    /// storage asks for them), conditional on the version this activation last wrote.
    /// </summary>
    private async Task WriteAsync(PendingFlush flush, byte[]? definition)
    {
        var writes = flush.Writes;
        var puts = new StoredEntry[writes.Puts.Length];
        for (var i = 0; i < puts.Length; i++) puts[i] = new StoredEntry(writes.Puts[i].Index, _serializer.SerializeToArray<object>(writes.Puts[i].Entry));
        var write = new NodeWrite(
            _version,
            definition,
            flush.HardChanged ? _serializer.SerializeToArray<object?>(flush.Hard) : null,
            writes.Snapshot is { } snapshot ? new SnapshotWrite(snapshot.Index, snapshot.Chunks.Select(chunk => _serializer.SerializeToArray<object>(chunk))) : null,
            writes.TruncateFrom,
            writes.CompactThrough,
            puts);
        var started = Stopwatch.GetTimestamp();
        var bytes = await _store.WriteAsync(_key, write);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        NodeMetrics.FlushDuration.Record(seconds, _clusterTags);
        NodeMetrics.StorageWrites.Add(1, _nodeTags);
        NodeMetrics.StorageBytes.Add(bytes, _nodeTags);
        _version++;
        _storageWrites++;
        _storageBytes += bytes;
        _rate.Add(bytes, seconds);
        TrackLog(writes, bytes - write.BytesWithoutSnapshot);
    }

    /// <summary>Keeps the indexes of the durable log and the snapshot's size, for status.</summary>
    private void TrackLog(DurableWrites writes, long snapshotBytes)
    {
        if (writes.Snapshot is { } snapshot)
        {
            _durableLog.Clear();
            _snapshotIndex = snapshot.Index;
            _snapshotBytes = snapshotBytes;
        }
        else
        {
            if (writes.TruncateFrom is { } truncate) _durableLog.RemoveWhere(index => index >= truncate);
            if (writes.CompactThrough is { } compact) _durableLog.RemoveWhere(index => index <= compact);
        }
        foreach (var put in writes.Puts) _durableLog.Add(put.Index);
    }

    private object Deserialize(byte[] payload, string what) =>
        _serializer.Deserialize<object>(payload) ?? throw new InvalidDataException($"{what} is empty");

    /// <summary>The stored node as the protocol's records: what <c>Recover</c> rebuilds it from.</summary>
    private DurableImage Decode(StoredNode stored)
    {
        var log = System.Collections.Immutable.ImmutableSortedDictionary.CreateBuilder<long, object>();
        foreach (var entry in stored.Log) log[entry.Index] = Deserialize(entry.Payload, $"log entry {entry.Index}");
        var snapshot = stored.Snapshot is { } s
            // Decoded as Recover reads them, so the decoded chunks of a large snapshot need not all be in memory at once.
            ? new DurableSnapshot(s.Index, s.Chunks.Select((chunk, i) => Deserialize(chunk, $"snapshot chunk {i}")))
            : null;
        return new DurableImage(_serializer.Deserialize<object?>(stored.Hard), snapshot, log.ToImmutable());
    }

    /// <summary>Sends the persisted batch's messages and completes its replies.</summary>
    private void Release()
    {
        _runner!.CollectEffects(_sends, _replies);
        foreach (var send in _sends) _network.Send(_cluster, send);
        _messagesSent += _sends.Count;
        NodeMetrics.MessagesSent.Add(_sends.Count, _nodeTags);
        var released = _steppedWaiters.Count + _arrivals.Count > 0 ? Stopwatch.GetTimestamp() : 0;
        foreach (var waiter in _steppedWaiters) waiter.Released = released;
        _steppedWaiters.Clear();
        foreach (var arrived in _arrivals) NodeMetrics.MessageTurnaround.Record(Seconds(released - arrived), _clusterTags);
        _arrivals.Clear();
        foreach (var reply in _replies)
        {
            if (!_waiting.Remove((reply.Client, reply.Sequence), out var waiters)) continue;
            foreach (var waiter in waiters)
            {
                if (waiter.Stepped != 0) RecordStages(waiter, released != 0 ? released : Stopwatch.GetTimestamp());
                waiter.Completion.TrySetResult(new RequestOutcome.Replied(reply.Reply, _self, GrainContext.Address.SiloAddress));
            }
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
        ReportInbox();
        _ticker?.Dispose();
        if (exception is StaleWriteException)
        {
            NodeMetrics.StaleWrites.Add(1, _nodeTags);
            LogStaleActivation(_cluster, _self, exception.Message);
        }
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Cluster}/{Node} leaves silo {From}: its cluster is spread unevenly")]
    private partial void LogMoving(string cluster, NodeId node, string from);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Cluster}/{Node}: what {Store} holds for this node cannot be read; the node stays down")]
    private partial void LogUnreadable(Exception exception, string cluster, NodeId node, string store);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Cluster}/{Node}: a step or state write failed; dropping the batch and deactivating")]
    private partial void LogStepOrWriteFailed(Exception exception, string cluster, NodeId node);

    /// <summary>A client waiting for a request's reply, and when (<see cref="Stopwatch"/> timestamps) the request arrived, was stepped and its batch released.</summary>
    private sealed class Waiter(TaskCompletionSource<RequestOutcome> completion, long deadlineTick, long arrived)
    {
        public TaskCompletionSource<RequestOutcome> Completion { get; } = completion;

        public long DeadlineTick { get; } = deadlineTick;

        public long Arrived { get; } = arrived;

        public long Stepped { get; set; }

        public long Released { get; set; }
    }
}
