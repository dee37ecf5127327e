using System.Collections.Concurrent;
using OrleansNodes.Simulation.Linearizability;

namespace OrleansNodes.Simulation.Exploration;

/// <summary>
/// Exhaustive search over the same <see cref="Protocol{TSettings, TState, TMessage, TRequest, TReply}"/>
/// and the same node loop as the simulator: from each state it takes every action the bounds allow
/// (<see cref="ExplorationOptions"/>), checks every <c>Always</c> property on the result, marks the
/// <c>Sometimes</c> goals it reaches, and keeps each state's fingerprint in a shared visited set
/// so no state is expanded twice.
/// </summary>
/// <remarks>
/// The node loop is the simulator's with a batch of one: a node steps one input, persists (its
/// hard state when changed, its log and snapshot writes), then releases its messages and replies.
/// A crash keeps what was persisted, which is everything stepped; a restart rebuilds the node
/// with <c>Recover</c> from its durable image. Messages to a node that is down are lost.
/// </remarks>
internal sealed partial class Explorer<TSettings, TState, TMessage, TRequest, TReply>
    where TState : class
{
    /// <summary>
    /// The clients' history is checked against their model on every completion; a failure is
    /// named as the simulator names a workload's, so the saved counterexample replays to it.
    /// </summary>
    public const string LinearizableProperty = "workload";

    private readonly Protocol<TSettings, TState, TMessage, TRequest, TReply> _protocol;
    private readonly NodeConfig<TSettings>[] _configs;
    private readonly ExplorationOptions _options;
    private readonly ExplorationClients<TRequest, TReply>? _clients;
    private readonly Property<TState>[] _properties;
    private readonly int[][] _permutations;
    private readonly int[]?[] _maps;
    private readonly bool _trackDurable;
    private readonly int _maxDown;

    /// <summary>The links cut when node i is cut off, as the observation's <c>[from * n + to]</c> array.</summary>
    private readonly bool[][] _cutOff;
    private readonly FingerprintSet _visited = new();
    private readonly int[] _reached;
    private readonly ConcurrentDictionary<ulong, string?> _linearizable = new();
    private readonly Worker[] _workers;

    public Explorer(
        Protocol<TSettings, TState, TMessage, TRequest, TReply> protocol,
        TSettings settings,
        ExplorationOptions options,
        ExplorationClients<TRequest, TReply>? clients)
    {
        _protocol = protocol;
        _options = options;
        _configs = [.. NodeConfig<TSettings>.Cluster(options.Nodes, settings, options.Seed)];
        _clients = options.Clients > 0 ? clients : null;
        _properties = [.. protocol.Properties];
        _permutations = options.Symmetry ? Permutations(options.Nodes) : [Identity(options.Nodes)];
        _maps = [.. _permutations.Select((p, i) => i == 0 ? null : p)];
        _trackDurable = options.MaxCrashes > 0;
        _maxDown = Math.Max(1, (options.Nodes - 1) / 2);
        _cutOff = [.. Enumerable.Range(0, options.Nodes).Select(node => CutOff(node, options.Nodes))];
        _reached = new int[_properties.Length];
        _workers = new Worker[options.Threads];
        for (var i = 0; i < _workers.Length; i++) _workers[i] = new Worker(this);
        foreach (var check in _workers[0].Checks)
        {
            if (!check.CanRestore)
                throw new ArgumentException($"a property of {protocol.Name} keeps state the explorer cannot save and restore; build it with Property.Always, Sometimes, Monitor or Ghost");
        }
    }

    /// <summary>The state every node starts in, with the clients' first requests on their way.</summary>
    private ExplorerWorld<TState, TMessage> Initial(Worker worker, out Broken? broken)
    {
        var scratch = worker.Scratch;
        var n = _options.Nodes;
        scratch.Clear();
        for (var i = 0; i < n; i++)
        {
            SetState(scratch, i, _protocol.Init(_configs[i]));
            if (scratch.Durable is not null)
            {
                scratch.Durable.Write(i) = DurableImage.Initial(_protocol.HardState(scratch.States[i]));
                HashDurable(scratch.Durable[i], i, scratch.DurableHashes!);
            }

            scratch.Up.Write(i) = true;
        }

        var history = ImmutableArray.CreateBuilder<HistoryEntry>();
        var events = 0;
        for (var c = 0; c < scratch.Clients.Items.Length; c++)
        {
            var entry = Invoke(history, c, 0, ref events);
            scratch.Clients.Write(c) = new ClientState(0, c % n, ClientPhase.InFlight, 0, entry);
        }

        scratch.History = history.ToImmutable();
        scratch.Events = events;
        for (var i = 0; i < worker.Checks.Length; i++) worker.Checks[i].RestoreGhost(worker.InitialGhosts[i]);
        worker.Reset();
        broken = CheckProperties(worker, scratch, -1, null);
        Seal(worker, scratch, parent: null);
        return Materialize(scratch);
    }

    /// <summary>Every action the bounds allow from <paramref name="world"/>, in a fixed order.</summary>
    private void Actions(ExplorerWorld<TState, TMessage> world, List<ExplorerAction> actions)
    {
        actions.Clear();
        var network = world.Network;
        for (var i = 0; i < network.Length; i++)
        {
            if (IsRepeat(network, i)) continue;
            actions.Add(new ExplorerAction(DecisionKind.Deliver, network[i].To, i));
            if (world.Drops < _options.MaxDrops) actions.Add(new ExplorerAction(DecisionKind.Drop, network[i].To, i));
            if (world.Duplicates < _options.MaxDuplicates && network.Length < _options.MaxInFlight)
                actions.Add(new ExplorerAction(DecisionKind.Duplicate, network[i].To, i));
        }

        for (var c = 0; c < world.Clients.Length; c++)
        {
            var client = world.Clients[c];
            if (client.Phase == ClientPhase.InFlight) actions.Add(new ExplorerAction(DecisionKind.Request, client.Target, c));

            // A retry: a waiting client gives up on its node and sends the request again to
            // another, or a client sends it first to another node than it meant to (a stale
            // leader cache, a gateway that routes elsewhere).
            if (client.Phase is ClientPhase.Waiting or ClientPhase.InFlight && world.Retries < _options.MaxRetries)
                for (var node = 0; node < _options.Nodes; node++)
                    if (node != client.Target) actions.Add(new ExplorerAction(DecisionKind.Request, node, c));
        }

        if (world.Isolated >= 0) actions.Add(new ExplorerAction(DecisionKind.Heal, world.Isolated, 0));
        else if (world.Partitions < _options.MaxPartitions)
            for (var node = 0; node < _options.Nodes; node++) actions.Add(new ExplorerAction(DecisionKind.Cut, node, 0));

        var slowest = _options.MaxTickLead is null ? 0 : SlowestUp(world);
        for (var node = 0; node < _options.Nodes; node++)
        {
            if (world.Up[node])
            {
                if (world.Ticks[node] < _options.TicksPerNode && (_options.MaxTickLead is not { } lead || world.Ticks[node] - slowest < lead))
                    actions.Add(new ExplorerAction(DecisionKind.Tick, node, 0));
                if (world.Crashes < _options.MaxCrashes && world.DownCount < _maxDown) actions.Add(new ExplorerAction(DecisionKind.Crash, node, 0));
            }
            else
            {
                actions.Add(new ExplorerAction(DecisionKind.Restart, node, 0));
            }
        }
    }

    /// <summary>The fewest ticks any node that is up has taken (<see cref="ExplorationOptions.MaxTickLead"/> counts from it).</summary>
    private int SlowestUp(ExplorerWorld<TState, TMessage> world)
    {
        var slowest = int.MaxValue;
        for (var node = 0; node < _options.Nodes; node++)
            if (world.Up[node] && world.Ticks[node] < slowest) slowest = world.Ticks[node];
        return slowest == int.MaxValue ? 0 : slowest;
    }

    // Two copies of one message on one link lead to the same successors; deliver the first only.
    private static bool IsRepeat(Flight<TMessage>[] network, int index)
    {
        var hash = network[index].Hash;
        for (var j = 0; j < index; j++)
            if (network[j].Hash == hash) return true;
        return false;
    }

    /// <summary>
    /// Takes <paramref name="action"/> from <paramref name="world"/> in the worker's scratch and
    /// fingerprints the result (<see cref="Scratch.Fingerprint"/>); false when the result would
    /// exceed a bound (pruned). Nothing is allocated for the successor itself until
    /// <see cref="Materialize"/>, which a search calls only for states it has not seen.
    /// </summary>
    private bool TryApply(Worker worker, ExplorerWorld<TState, TMessage> world, ExplorerAction action, out Broken? broken, bool enforceBounds = true, bool delay = false)
    {
        broken = null;
        var scratch = worker.Scratch;
        scratch.Load(world);
        if (delay) scratch.Delays++;
        for (var i = 0; i < worker.Checks.Length; i++) worker.Checks[i].RestoreGhost(world.Ghosts[i]);
        worker.Reset();
        switch (action.Kind)
        {
            case DecisionKind.Deliver:
            {
                var flight = scratch.RemoveFlight(action.Index);
                if (scratch.Up[flight.To] && !world.IsCut(flight.From, flight.To))
                    broken = StepNode(worker, scratch, flight.To, new Input<TMessage, TRequest>.Receive(new NodeId(flight.From), flight.Message));
                break;
            }

            case DecisionKind.Drop:
                scratch.RemoveFlight(action.Index);
                scratch.Drops++;
                break;
            case DecisionKind.Duplicate:
                scratch.AddFlight(world.Network[action.Index]);
                scratch.Duplicates++;
                break;
            case DecisionKind.Tick:
                scratch.Ticks.Write(action.Node)++;
                broken = StepNode(worker, scratch, action.Node, Input<TMessage, TRequest>.Tick.Instance);
                break;
            case DecisionKind.Crash:
                scratch.Up.Write(action.Node) = false;
                scratch.Crashes++;
                broken = CheckProperties(worker, scratch, -1, null);
                break;
            case DecisionKind.Restart:
                broken = Restart(worker, scratch, action.Node);
                break;
            case DecisionKind.Cut:
                scratch.Isolated = action.Node;
                scratch.Partitions++;
                broken = CheckProperties(worker, scratch, -1, null);
                break;
            case DecisionKind.Heal:
                scratch.Isolated = -1;
                broken = CheckProperties(worker, scratch, -1, null);
                break;
            case DecisionKind.Request:
                broken = DeliverRequest(worker, scratch, action.Index, action.Node);
                break;
        }

        if (enforceBounds && scratch.InFlight > _options.MaxInFlight) return false;
        Seal(worker, scratch, world);
        return true;
    }

    /// <summary>The successor in the worker's scratch, as a state of its own.</summary>
    private ExplorerWorld<TState, TMessage> Apply(Worker worker, ExplorerWorld<TState, TMessage> world, ExplorerAction action, out Broken? broken, bool enforceBounds = true) =>
        TryApply(worker, world, action, out broken, enforceBounds) ? Materialize(worker.Scratch) : throw new InvalidOperationException("a counterexample's path went through a pruned state");

    /// <summary>
    /// The action the default schedule takes from <paramref name="world"/>, as an index into
    /// <paramref name="actions"/> (<see cref="Actions"/>' order), or -1 when delays are not
    /// counted or nothing is left but faults. The oldest message in flight first (deliveries come
    /// first, oldest first), then a client's request to a node that takes it
    /// (<see cref="ExplorationClients{TRequest, TReply}.TakesRequests"/>), then a restart, then a
    /// tick of the node that has ticked least: time passes only when the network is quiet. A
    /// request no node would take yet waits for that tick, as a client backs off while no leader
    /// is known, and goes when no node may tick any more.
    /// </summary>
    private int DefaultAction(ExplorerWorld<TState, TMessage> world, List<ExplorerAction> actions)
    {
        if (_options.MaxDelays is null || actions.Count == 0) return -1;
        if (world.Network.Length > 0) return 0;
        var tick = -1;
        var held = -1;
        for (var i = 0; i < actions.Count; i++)
        {
            var action = actions[i];
            if (action.Kind == DecisionKind.Restart) return i;
            if (action.Kind == DecisionKind.Request && IsOnItsWay(world, action))
            {
                if (TakesRequests(world, action.Node)) return i;
                if (held < 0) held = i;
            }

            if (action.Kind == DecisionKind.Tick && (tick < 0 || world.Ticks[action.Node] < world.Ticks[actions[tick].Node])) tick = i;
        }

        // Requests no node would take wait for time to pass; when it cannot, they go anyway.
        return tick >= 0 ? tick : held;
    }

    /// <summary>A request sent where its client means it to go: not a retry.</summary>
    private static bool IsOnItsWay(ExplorerWorld<TState, TMessage> world, ExplorerAction request)
    {
        var client = world.Clients[request.Index];
        return client.Phase == ClientPhase.InFlight && request.Node == client.Target;
    }

    /// <summary>Whether <paramref name="node"/> is worth a request now, as the clients' <see cref="ExplorationClients{TRequest, TReply}.TakesRequests"/> judges from its view (always, without one).</summary>
    private bool TakesRequests(ExplorerWorld<TState, TMessage> world, int node) =>
        _clients?.TakesRequests is not { } takes || !world.Up[node] || takes(_protocol.Inspect(world.States[node]));

    /// <summary>
    /// Whether the action at <paramref name="index"/> spends a delay: any but the default schedule's
    /// (<paramref name="onSchedule"/>, from <see cref="DefaultAction"/>), and every action where the
    /// default schedule has none, but a fault taken at a quiet point under
    /// <see cref="ExplorationOptions.QuietFaults"/>; never when delays are not counted.
    /// </summary>
    private bool IsDelay(ExplorerWorld<TState, TMessage> world, int onSchedule, List<ExplorerAction> actions, int index) =>
        _options.MaxDelays is not null && index != onSchedule && !IsQuietFault(world, actions[index]);

    /// <summary>A crash, cut or heal while no message is in flight, which <see cref="ExplorationOptions.QuietFaults"/> lets a path take without a delay.</summary>
    private bool IsQuietFault(ExplorerWorld<TState, TMessage> world, ExplorerAction action) =>
        _options.QuietFaults && world.Network.Length == 0 && action.Kind is DecisionKind.Crash or DecisionKind.Cut or DecisionKind.Heal;

    /// <summary>Client <paramref name="client"/>'s request reaches <paramref name="node"/>: its target, or another node when it waits (a retry).</summary>
    private Broken? DeliverRequest(Worker worker, Scratch scratch, int client, int node)
    {
        var state = scratch.Clients[client];
        if (state.Phase == ClientPhase.Waiting || node != state.Target)
        {
            // A retry: the client now waits on the new node (a reply from an old one still counts).
            scratch.Retries++;
            state = state with { Target = node };
            scratch.Clients.Write(client) = state;
            if (!scratch.Up[node]) return null;
        }
        else if (!scratch.Up[state.Target])
        {
            scratch.Clients.Write(client) = state with { Phase = ClientPhase.Stuck };
            return null;
        }

        scratch.Clients.Write(client) = state with { Phase = ClientPhase.Waiting };
        var command = _clients!.Script(client, state.Operation);
        return StepNode(worker, scratch, state.Target, new Input<TMessage, TRequest>.Request(ClientIdOf(client), state.Sequence, command));
    }

    private Broken? Restart(Worker worker, Scratch scratch, int node)
    {
        scratch.Up.Write(node) = true;
        var image = scratch.Durable![node];
        TState recovered;
        try
        {
            recovered = _protocol.Recover(_configs[node], image);
        }
        catch (Exception e)
        {
            return new Broken(Engine.Engine<TSettings, TState, TMessage, TRequest, TReply>.StepThrewProperty, PropertyKind.Always, $"n{node} threw in Recover: {e.GetType().Name}: {e.Message}");
        }

        if (_options.CheckRecovery && !Equals(_protocol.HardState(recovered), image.Hard))
            return new Broken(Engine.Engine<TSettings, TState, TMessage, TRequest, TReply>.RecoveryProperty, PropertyKind.Always, $"n{node} recovered hard state {_protocol.HardState(recovered)} from {image.Hard}");
        SetState(scratch, node, recovered);
        return CheckProperties(worker, scratch, -1, null);
    }

    /// <summary>One turn of the node loop: step, persist, release the outbox, let the clients read their replies.</summary>
    private Broken? StepNode(Worker worker, Scratch scratch, int node, Input<TMessage, TRequest> input)
    {
        var context = worker.Contexts[node];
        var before = scratch.States[node];
        TState after;
        try
        {
            after = _protocol.Step(context, before, input);
        }
        catch (Exception e)
        {
            context.Clear();
            return new Broken(Engine.Engine<TSettings, TState, TMessage, TRequest, TReply>.StepThrewProperty, PropertyKind.Always, $"n{node} threw {e.GetType().Name}: {e.Message}");
        }

        if (after is null)
        {
            context.Clear();
            return new Broken(Engine.Engine<TSettings, TState, TMessage, TRequest, TReply>.StepThrewProperty, PropertyKind.Always, $"n{node} returned a null state");
        }

        if (!ReferenceEquals(after, before)) SetState(scratch, node, after);
        var broken = CheckProperties(worker, scratch, node, before);

        // Persist before the messages leave, as the host does.
        if (scratch.Durable is null)
        {
            context.Durable.Clear();
        }
        else
        {
            var writes = context.Durable.Drain();
            try
            {
                var image = scratch.Durable[node];
                var flushed = image.Flush(_protocol.HardState(after), writes);
                if (!ReferenceEquals(flushed, image))
                {
                    scratch.Durable.Write(node) = flushed;
                    HashDurable(flushed, node, scratch.DurableHashes!);
                }
            }
            catch (Exception e)
            {
                context.ClearOutbox();
                return broken ?? new Broken(Engine.Engine<TSettings, TState, TMessage, TRequest, TReply>.StepThrewProperty, PropertyKind.Always, $"n{node} threw while its flush was written: {e.GetType().Name}: {e.Message}");
            }
        }

        foreach (var send in context.PendingSends)
        {
            var to = send.To.Value;
            if ((uint)to >= (uint)_options.Nodes)
            {
                context.ClearOutbox();
                return broken ?? new Broken(Engine.Engine<TSettings, TState, TMessage, TRequest, TReply>.StepThrewProperty, PropertyKind.Always, $"n{node} sent to unknown node {send.To}");
            }

            scratch.AddFlight(NewFlight(node, to, send.Message));
        }

        var replies = context.PendingReplies;
        for (var i = 0; i < replies.Length; i++) broken ??= OnReply(scratch, node, replies[i]);
        context.ClearOutbox();
        return broken;
    }

    private Flight<TMessage> NewFlight(int from, int to, TMessage message)
    {
        var count = _permutations.Length;
        var permuted = count == 1 ? null : new ulong[count];
        var identity = 0UL;
        for (var p = 0; p < count; p++)
        {
            var map = _permutations[p];
            var hash = Fingerprint.Mix(Fingerprint.Mix(Fingerprint.Seed, (ulong)map[from]), (ulong)map[to]);
            hash = Fingerprint.Finish(Fingerprint.Mix(hash, Fingerprint.Of(message, _maps[p])));
            if (p == 0) identity = hash;
            if (permuted is not null) permuted[p] = hash;
        }

        return new Flight<TMessage>(from, to, message, identity, permuted);
    }

    /// <summary>A client hears a reply: its operation completes (and the next begins), or it follows a redirect.</summary>
    private Broken? OnReply(Scratch scratch, int from, in ClientReply<TReply> reply)
    {
        var client = (int)reply.Client.Value - 1;
        if (_clients is null || (uint)client >= (uint)scratch.Clients.Items.Length) return null;
        var state = scratch.Clients[client];
        if (state.Phase != ClientPhase.Waiting || reply.Sequence != state.Sequence) return null;
        var request = _clients.Script(client, state.Operation);
        var result = _clients.Interpret(request, reply.Reply);
        if (result is null)
        {
            if (reply.Reply is not IRedirect redirect) return null;
            scratch.Clients.Write(client) = state.Redirects >= _options.MaxRedirects
                ? state with { Phase = ClientPhase.Stuck }
                : state with
                {
                    Phase = ClientPhase.InFlight,
                    Target = ExplorationClients<TRequest, TReply>.Redirected(redirect, from, _options.Nodes),
                    Redirects = state.Redirects + 1,
                };
            return null;
        }

        scratch.CompleteEntry(state.Entry, result);
        var broken = CheckHistory(scratch);
        var nextOperation = state.Operation + 1;
        if (nextOperation >= _options.OperationsPerClient)
        {
            scratch.Clients.Write(client) = state with { Phase = ClientPhase.Done };
            return broken;
        }

        var builder = scratch.History.ToBuilder();
        var events = scratch.Events;
        var entry = Invoke(builder, client, nextOperation, ref events);
        scratch.History = builder.ToImmutable();
        scratch.Events = events;
        scratch.Clients.Write(client) = new ClientState(nextOperation, state.Target, ClientPhase.InFlight, 0, entry);
        return broken;
    }

    /// <summary>Clients are numbered from 1 on the wire, as the console's and the workloads' are.</summary>
    private static ClientId ClientIdOf(int client) => new(client + 1);

    private int Invoke(ImmutableArray<HistoryEntry>.Builder history, int client, int operation, ref int events)
    {
        if (_clients?.Model is null) return -1;
        var command = _clients.Describe(_clients.Script(client, operation));
        if (command is null) return -1;
        history.Add(new HistoryEntry(client, command, events++, -1, null));
        return history.Count - 1;
    }

    /// <summary>The clients' history must stay linearizable; checked when an operation completes, cached by history.</summary>
    private Broken? CheckHistory(Scratch scratch)
    {
        if (_clients?.Model is not { } model) return null;
        var hash = HashHistory(scratch.History);
        var problem = _linearizable.GetOrAdd(hash, _ =>
        {
            var operations = scratch.History.Select((e, id) => new Operation(
                id, ClientIdOf(e.Client), e.Command, e.Invoke, e.Complete >= 0 ? e.Complete : null, e.Result ?? OperationResult.Unknown));
            var result = LinearizabilityChecker.Check(new History(operations), model);
            return result.Verdict == Verdict.NotLinearizable ? result.Explanation : null;
        });
        return problem is null ? null : new Broken(LinearizableProperty, PropertyKind.Always, $"{ScriptedClients<TRequest, TReply>.NotLinearizable}: {problem}");
    }

    private Broken? CheckProperties(Worker worker, Scratch scratch, int stepped, TState? before)
    {
        var checks = worker.Checks;
        if (checks.Length == 0) return null;
        var minTicks = MinTicks(scratch.Ticks.Items);
        // Time is the round under way: the first is round 1, and one ends when every node has
        // ticked once more (the fewest ticks any node took, plus one). The network is
        // reliable, from the start, when the search may neither drop, duplicate nor cut; healthy
        // when it is also free of crashes.
        var reliable = _options.MaxDrops == 0 && _options.MaxDuplicates == 0 && _options.MaxPartitions == 0;
        var healthy = reliable && _options.MaxCrashes == 0;
        var time = minTicks + 1L;
        var observation = new Observation<TState>(
            scratch.States.Items, scratch.Up.Items, stepped < 0 ? null : new NodeId(stepped), before, scratch.Depth, time,
            healthy ? time : -1, reliable ? time : -1, cut: scratch.Isolated >= 0 ? _cutOff[scratch.Isolated] : null);
        for (var i = 0; i < checks.Length; i++)
        {
            var property = _properties[i];
            if (property.Kind == PropertyKind.Eventually && worker.LivenessHeld is null) continue;
            bool holds;
            try
            {
                holds = checks[i].Holds(observation);
            }
            catch (Exception e)
            {
                return new Broken(property.Name, property.Kind, $"the property threw {e.GetType().Name}: {e.Message}");
            }

            if (property.Kind == PropertyKind.Always && !holds) return new Broken(property.Name, PropertyKind.Always, Engine.Engine<TSettings, TState, TMessage, TRequest, TReply>.ExplainSafely(checks[i], observation) ?? "does not hold");
            if (property.Kind == PropertyKind.Sometimes && holds && Volatile.Read(ref _reached[i]) == 0) Interlocked.Exchange(ref _reached[i], 1);
            if (property.Kind == PropertyKind.Eventually && holds) worker.LivenessHeld![i] = true;
        }

        return null;
    }

    /// <summary>Saves the checks' ghosts into the scratch (rehashing them only when one changed) and fingerprints it.</summary>
    private void Seal(Worker worker, Scratch scratch, ExplorerWorld<TState, TMessage>? parent)
    {
        var checks = worker.Checks;
        var changed = parent is null;
        for (var i = 0; i < checks.Length; i++)
        {
            scratch.Ghosts[i] = checks[i].SaveGhost();
            if (!changed && !ReferenceEquals(scratch.Ghosts[i], parent!.Ghosts[i])) changed = true;
        }

        scratch.GhostsChanged = changed;
        if (changed) HashGhosts(scratch.Ghosts, scratch.GhostHashes.Overwrite());
        else scratch.GhostHashes.Load(parent!.GhostHashes);
        scratch.ParentGhosts = parent?.Ghosts;
        if (scratch.HistoryChanged) scratch.HistoryHash = HashHistory(scratch.History);
        scratch.Fingerprint = FingerprintOf(scratch);
    }

    private static ExplorerWorld<TState, TMessage> Materialize(Scratch scratch) => new()
    {
        States = scratch.States.Keep(),
        StateHashes = scratch.StateHashes.Keep(),
        Durable = scratch.Durable?.Keep(),
        DurableHashes = scratch.DurableHashes?.Keep(),
        Ticks = scratch.Ticks.Keep(),
        Up = scratch.Up.Keep(),
        Crashes = scratch.Crashes,
        Drops = scratch.Drops,
        Duplicates = scratch.Duplicates,
        Isolated = scratch.Isolated,
        Partitions = scratch.Partitions,
        Retries = scratch.Retries,
        Delays = scratch.Delays,
        Network = scratch.NetworkArray(),
        NetworkSums = scratch.NetworkSums.Keep(),
        Clients = scratch.Clients.Keep(),
        History = scratch.History,
        Events = scratch.Events,
        HistoryHash = scratch.HistoryHash,
        Ghosts = scratch.GhostsChanged ? (object?[])scratch.Ghosts.Clone() : scratch.ParentGhosts!,
        GhostHashes = scratch.GhostHashes.Keep(),
        Depth = scratch.Depth,
        Fingerprint = scratch.Fingerprint,
    };

    private ulong FingerprintOf(Scratch world)
    {
        var best = ulong.MaxValue;
        var count = _permutations.Length;
        for (var p = 0; p < count; p++)
        {
            var map = _permutations[p];
            var nodes = 0UL;
            for (var i = 0; i < map.Length; i++)
            {
                var hash = Fingerprint.Mix(Fingerprint.Seed, (ulong)map[i]);
                hash = Fingerprint.Mix(hash, world.StateHashes[i * count + p]);
                hash = Fingerprint.Mix(hash, (world.Up[i] ? 0x100UL : 0UL) | world.Ticks[i]);
                if (world.DurableHashes is { } durable) hash = Fingerprint.Mix(hash, durable[i * count + p]);
                nodes += Fingerprint.Finish(hash);
            }

            var clients = Fingerprint.Seed;
            foreach (var client in world.Clients.Items)
            {
                clients = Fingerprint.Mix(clients, (ulong)(uint)client.Operation | ((ulong)client.Phase << 16) | ((ulong)(uint)client.Redirects << 24) | ((ulong)(uint)client.Entry << 32));
                clients = Fingerprint.Mix(clients, (ulong)map[client.Target]);
            }

            var total = Fingerprint.Mix(Fingerprint.Seed, nodes);
            total = Fingerprint.Mix(total, world.NetworkSums[p]);

            // Under a delay budget the default schedule delivers the oldest message first, so the
            // order of the messages in flight is part of the state (a multiset is not enough).
            if (_options.MaxDelays is not null) total = Fingerprint.Mix(total, world.NetworkOrderHash(p));
            total = Fingerprint.Mix(total, clients);
            total = Fingerprint.Mix(total, world.HistoryHash);
            total = Fingerprint.Mix(total, world.GhostHashes[p]);
            total = Fingerprint.Mix(total, (ulong)(uint)world.Crashes | ((ulong)(uint)world.Drops << 16) | ((ulong)(uint)world.Duplicates << 32) | ((ulong)(uint)world.Delays << 48));
            if (_options.MaxPartitions > 0) total = Fingerprint.Mix(total, (world.Isolated < 0 ? 0xFFUL : (ulong)(uint)map[world.Isolated]) | ((ulong)(uint)world.Partitions << 8));
            if (_options.MaxRetries > 0) total = Fingerprint.Mix(total, (ulong)(uint)world.Retries);
            var fingerprint = Fingerprint.Finish(total);
            if (fingerprint < best) best = fingerprint;
        }

        return best;
    }

    private void SetState(Scratch scratch, int node, TState state)
    {
        scratch.States.Write(node) = state;
        var count = _permutations.Length;
        for (var p = 0; p < count; p++) scratch.StateHashes.Write(node * count + p) = Fingerprint.Of(state, _maps[p]);
    }

    private void HashDurable(DurableImage image, int node, CopyOnWriteArray<ulong> hashes)
    {
        var count = _permutations.Length;
        for (var p = 0; p < count; p++) hashes.Write(node * count + p) = Fingerprint.Of(image, _maps[p]);
    }

    private void HashGhosts(object?[] ghosts, ulong[] hashes)
    {
        for (var p = 0; p < hashes.Length; p++)
        {
            var sum = Fingerprint.Seed;
            for (var i = 0; i < ghosts.Length; i++)
            {
                if (_properties[i].Kind == PropertyKind.Eventually) continue;
                var repeat = false;
                for (var j = 0; j < i && !repeat; j++) repeat = ReferenceEquals(ghosts[j], ghosts[i]) && ghosts[i] is not null;
                if (!repeat) sum = Fingerprint.Mix(sum, Fingerprint.OfObject(ghosts[i], _maps[p]));
            }

            hashes[p] = sum;
        }
    }

    private static ulong HashHistory(ImmutableArray<HistoryEntry> history)
    {
        if (history.IsDefaultOrEmpty) return 0;
        var hash = Fingerprint.Seed;
        foreach (var entry in history)
        {
            hash = Fingerprint.Mix(hash, (ulong)(uint)entry.Client | ((ulong)(uint)entry.Invoke << 8) | ((ulong)(uint)entry.Complete << 36));
            hash = Fingerprint.Mix(hash, Fingerprint.Of(entry.Command));
            hash = Fingerprint.Mix(hash, entry.Result is null ? 0 : Fingerprint.Of(entry.Result));
        }

        return hash;
    }

    private static int[] Identity(int n) => [.. Enumerable.Range(0, n)];

    private static bool[] CutOff(int node, int n)
    {
        var cut = new bool[n * n];
        for (var peer = 0; peer < n; peer++)
        {
            if (peer == node) continue;
            cut[node * n + peer] = true;
            cut[peer * n + node] = true;
        }

        return cut;
    }

    private static int[][] Permutations(int n)
    {
        var result = new List<int[]>();
        var current = Identity(n);
        Permute(current, 0, result);

        // The identity first: index 0 is the plain fingerprint.
        result.Sort((a, b) => a.AsSpan().SequenceCompareTo(b));
        return [.. result];
    }

    private static void Permute(int[] items, int k, List<int[]> result)
    {
        if (k == items.Length)
        {
            result.Add((int[])items.Clone());
            return;
        }

        for (var i = k; i < items.Length; i++)
        {
            (items[k], items[i]) = (items[i], items[k]);
            Permute(items, k + 1, result);
            (items[k], items[i]) = (items[i], items[k]);
        }
    }

    /// <summary>A thread's reusable parts: a step context per node, its own property checks, and the scratch successors are built in.</summary>
    private sealed class Worker
    {
        public Worker(Explorer<TSettings, TState, TMessage, TRequest, TReply> explorer)
        {
            Contexts = [.. explorer._configs.Select(c => new StepContext<TSettings, TMessage, TReply>(c))];
            var scope = new PropertyScope();
            Checks = [.. explorer._properties.Select(p => p.Start(scope))];
            InitialGhosts = [.. Checks.Select(c => c.SaveGhost())];
            Scratch = new Scratch(explorer._options.Nodes, explorer._permutations.Length, explorer._trackDurable, explorer._clients is null ? 0 : explorer._options.Clients, Checks.Length);
        }

        public StepContext<TSettings, TMessage, TReply>[] Contexts { get; }

        public PropertyCheck<TState>[] Checks { get; }

        /// <summary>The checks' ghosts before the first observation.</summary>
        public object?[] InitialGhosts { get; }

        public Scratch Scratch { get; }

        public List<ExplorerAction> Actions { get; } = [];

        /// <summary>Fingerprints this worker recently found in the visited set.</summary>
        public RecentFingerprints Recent { get; } = new();

        /// <summary>During a liveness phase, which <c>Eventually</c> properties have held; null otherwise.</summary>
        public bool[]? LivenessHeld { get; set; }

        /// <summary>Successors this worker did not explore because they exceeded a bound.</summary>
        public long Pruned { get; set; }

        /// <summary>New states this worker added to the search (it checks the bounds every 1,024).</summary>
        public long Added { get; set; }

        /// <summary>Fingerprints this worker stored in the visited set (the added states and the violations).</summary>
        public long Stored;

        /// <summary>Successors this worker generated (the pruned ones not counted).</summary>
        public long Generated;

        public void Reset()
        {
            foreach (var context in Contexts) context.Clear();
        }
    }

    /// <summary>
    /// A worker's copy of one state, where each successor is tried before it is kept. It reads the
    /// parent's arrays in place and copies one only when the action writes it
    /// (<see cref="CopyOnWriteArray{T}"/>), so a kept successor shares every array its action left alone.
    /// </summary>
    private sealed class Scratch(int nodes, int permutations, bool durable, int clients, int properties)
    {
        public CopyOnWriteArray<TState> States { get; } = new(nodes);

        public CopyOnWriteArray<ulong> StateHashes { get; } = new(nodes * permutations);

        public CopyOnWriteArray<DurableImage>? Durable { get; } = durable ? new(nodes) : null;

        public CopyOnWriteArray<ulong>? DurableHashes { get; } = durable ? new(nodes * permutations) : null;

        public CopyOnWriteArray<bool> Up { get; } = new(nodes);

        public CopyOnWriteArray<byte> Ticks { get; } = new(nodes);

        /// <summary>
        /// The parent's messages in flight, shared, not copied: a successor removes at most one
        /// (<see cref="_removed"/>) and appends what its step sent (<see cref="_added"/>), and most
        /// successors are states already seen, so the list is built only for a state that is kept.
        /// </summary>
        private Flight<TMessage>[] _network = [];
        private int _removed = -1;
        private readonly List<Flight<TMessage>> _added = [];

        /// <summary>Messages in flight.</summary>
        public int InFlight => _network.Length - (_removed >= 0 ? 1 : 0) + _added.Count;

        public CopyOnWriteArray<ulong> NetworkSums { get; } = new(permutations);

        public CopyOnWriteArray<ClientState> Clients { get; } = new(clients);

        public object?[] Ghosts { get; } = new object?[properties];

        public CopyOnWriteArray<ulong> GhostHashes { get; } = new(permutations);

        public object?[]? ParentGhosts { get; set; }

        public bool GhostsChanged { get; set; }

        public ImmutableArray<HistoryEntry> History
        {
            get;
            set
            {
                field = value;
                HistoryChanged = true;
            }
        } = [];

        public bool HistoryChanged { get; private set; }

        public ulong HistoryHash { get; set; }

        public int Events { get; set; }

        public int Depth { get; set; }

        public int Crashes { get; set; }

        public int Drops { get; set; }

        public int Duplicates { get; set; }

        public int Delays { get; set; }

        public int Isolated { get; set; } = -1;

        public int Partitions { get; set; }

        public int Retries { get; set; }

        public ulong Fingerprint { get; set; }

        public void Clear()
        {
            States.Clear();
            StateHashes.Clear();
            Durable?.Clear();
            DurableHashes?.Clear();
            Up.Clear();
            Ticks.Clear();
            NetworkSums.Clear();
            Clients.Clear();
            _network = [];
            _removed = -1;
            _added.Clear();
            History = [];
            HistoryHash = 0;
            Events = Depth = Crashes = Drops = Duplicates = Delays = Partitions = Retries = 0;
            Isolated = -1;
        }

        public void Load(ExplorerWorld<TState, TMessage> world)
        {
            States.Load(world.States);
            StateHashes.Load(world.StateHashes);
            Durable?.Load(world.Durable!);
            DurableHashes?.Load(world.DurableHashes!);
            Up.Load(world.Up);
            Ticks.Load(world.Ticks);
            _network = world.Network;
            _removed = -1;
            _added.Clear();
            NetworkSums.Load(world.NetworkSums);
            Clients.Load(world.Clients);
            History = world.History;
            HistoryChanged = false;
            HistoryHash = world.HistoryHash;
            Events = world.Events;
            Depth = world.Depth + 1;
            Crashes = world.Crashes;
            Drops = world.Drops;
            Duplicates = world.Duplicates;
            Delays = world.Delays;
            Isolated = world.Isolated;
            Partitions = world.Partitions;
            Retries = world.Retries;
        }

        /// <summary>Removes the message at <paramref name="index"/> of the parent's network (a successor takes one action, so removes at most one).</summary>
        public Flight<TMessage> RemoveFlight(int index)
        {
            var flight = _network[index];
            _removed = index;
            for (var p = 0; p < NetworkSums.Items.Length; p++) NetworkSums.Write(p) -= flight.HashAt(p);
            return flight;
        }

        public void AddFlight(Flight<TMessage> flight)
        {
            _added.Add(flight);
            for (var p = 0; p < NetworkSums.Items.Length; p++) NetworkSums.Write(p) += flight.HashAt(p);
        }

        /// <summary>A hash of the successor's messages in flight in their order (oldest first), under permutation <paramref name="permutation"/>.</summary>
        public ulong NetworkOrderHash(int permutation)
        {
            var hash = Exploration.Fingerprint.Seed;
            for (var i = 0; i < _network.Length; i++)
                if (i != _removed) hash = Exploration.Fingerprint.Mix(hash, _network[i].HashAt(permutation));
            foreach (var flight in _added) hash = Exploration.Fingerprint.Mix(hash, flight.HashAt(permutation));
            return hash;
        }

        /// <summary>The successor's messages in flight: the parent's, less the one removed, then the new ones in send order.</summary>
        public Flight<TMessage>[] NetworkArray()
        {
            if (_removed < 0 && _added.Count == 0) return _network;
            var network = new Flight<TMessage>[InFlight];
            var at = 0;
            for (var i = 0; i < _network.Length; i++)
                if (i != _removed) network[at++] = _network[i];
            foreach (var flight in _added) network[at++] = flight;
            return network;
        }

        public void CompleteEntry(int entry, OperationResult result)
        {
            if (entry < 0) return;
            History = History.SetItem(entry, History[entry] with { Complete = Events++, Result = result });
        }
    }
}
