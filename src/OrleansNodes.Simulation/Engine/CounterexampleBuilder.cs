using OrleansNodes.Simulation.Counterexamples;

namespace OrleansNodes.Simulation.Engine;

/// <summary>
/// Replays decisions through an engine and watches each one from outside: what the network and
/// the request queue held before and after, which states changed, which trace line it wrote.
/// The engine stays as it is (the normal run pays nothing); this is the reporting replay's
/// structured twin of <see cref="Engine{TSettings, TState, TMessage, TRequest, TReply}.TraceLines"/>.
/// </summary>
/// <remarks>
/// A replay has no delay source, so every released message joins the end of the deliverable
/// list and replays keep it in send order: the messages a decision released are the list's new
/// tail, and the same holds for client requests. Replies leave a node's pending list only when a
/// flush releases them (or a crash discards them).
/// </remarks>
internal sealed class CounterexampleBuilder<TSettings, TState, TMessage, TRequest, TReply>
    where TState : class
{
    private readonly Engine<TSettings, TState, TMessage, TRequest, TReply> _engine;
    private readonly List<string> _lines;
    private readonly Dictionary<(int From, int To, long Ordinal), long> _messageIds = [];
    private readonly SortedSet<long> _clients = [];
    private readonly List<TraceEvent> _events = [];
    private long _nextMessageId;

    public CounterexampleBuilder(Engine<TSettings, TState, TMessage, TRequest, TReply> engine, List<string> lines)
    {
        _engine = engine;
        _lines = lines;
    }

    /// <summary>
    /// Applies every decision, recording those that apply, then the end-of-run verdict. With
    /// <paramref name="completeRounds"/> (schedules of random runs), the work a <c>round</c> owes
    /// and its schedule leaves implied is shown step by step before it, each step an event of its
    /// own marked <see cref="TraceEvent.Owed"/>.
    /// </summary>
    public Counterexample Build(string protocol, ulong seed, IReadOnlyList<Decision> decisions, int livenessRounds, string? source, bool completeRounds)
    {
        ImmutableArray<string> initial = [.. _engine.States.Select(s => StructuralDiff.Format(s, 2_000))];
        _engine.Start();
        var violationEvent = -1;
        for (var i = 0; i < decisions.Count; i++)
        {
            if (_engine.Failed) break;
            if (completeRounds && decisions[i].Kind == DecisionKind.Round)
            {
                while (!_engine.Failed && _engine.NextOwed() is { } owed && Apply(i, owed, owed: true))
                {
                }

                if (_engine.Failed)
                {
                    violationEvent = _events.Count - 1;
                    break;
                }
            }

            if (!Apply(i, decisions[i]) && _engine.SkippedDecisions++ == 0) _engine.FirstSkipped = $"decision {i} '{decisions[i]}'";
            if (_engine.Failed) violationEvent = _events.Count - 1;
        }

        _engine.Finish(livenessRounds);
        return new Counterexample
        {
            Protocol = protocol,
            Seed = seed,
            Nodes = _engine.Nodes,
            Clients = [.. _clients],
            InitialStates = initial,
            FinalStates = [.. _engine.States.Select(s => StructuralDiff.Format(s, 2_000))],
            Events = [.. _events],
            Violation = _engine.Violation is { } found
                ? new TraceViolation(found.Property, found.Kind, found.Message, found.Step, violationEvent)
                : null,
            SkippedDecisions = _engine.SkippedDecisions,
            Source = source,
        };
    }

    private bool Apply(int index, in Decision decision, bool owed = false)
    {
        var engine = _engine;
        var round = engine.Round;
        var states = (TState[])engine.States.Clone();
        var up = (bool[])engine.Up.Clone();
        var readyBefore = engine.ReadyCount;
        var requestsBefore = engine.RequestCount;
        var (deliveries, requested, drops, duplicates, lost) = (engine.Deliveries, engine.RequestsStepped, engine.Drops, engine.Duplicates, engine.Lost);
        var replies = PendingRepliesByNode();
        var acted = FindActedOn(decision);
        var linesBefore = _lines.Count;

        if (!engine.Apply(decision)) return false;

        var target = decision.Kind == DecisionKind.Request ? decision.Node : decision.Peer;
        var outcome = TraceOutcome.None;
        if (engine.Deliveries > deliveries || engine.RequestsStepped > requested) outcome = TraceOutcome.Delivered;
        else if (engine.Drops > drops) outcome = TraceOutcome.Dropped;
        else if (engine.Duplicates > duplicates) outcome = TraceOutcome.Duplicated;
        else if (engine.Lost > lost) outcome = up[target] ? TraceOutcome.LostLinkCut : TraceOutcome.LostNodeDown;

        // What the network holds now: the old list less what was delivered or dropped, plus a
        // duplicate's copy, then whatever the decision's flushes released.
        var kept = decision.Kind switch
        {
            DecisionKind.Deliver or DecisionKind.Drop => readyBefore - 1,
            DecisionKind.Duplicate => readyBefore + 1,
            _ => readyBefore,
        };
        var sends = ImmutableArray.CreateBuilder<TraceSend>();
        for (var i = Math.Max(0, kept); i < engine.ReadyCount; i++)
        {
            ref readonly var packet = ref engine.ReadyAt(i);
            var id = _nextMessageId++;
            _messageIds[(packet.From, packet.To, packet.Ordinal)] = id;
            sends.Add(new TraceSend(id, packet.From, packet.To, packet.Ordinal, StructuralDiff.Format(packet.Message)));
        }

        var requests = ImmutableArray.CreateBuilder<TraceRequest>();
        var keptRequests = requestsBefore - (decision.Kind == DecisionKind.Request ? 1 : 0);
        for (var i = Math.Max(0, keptRequests); i < engine.RequestCount; i++)
        {
            var request = engine.RequestAt(i);
            _clients.Add(request.Client);
            requests.Add(new TraceRequest(request.Client, request.Sequence, request.Node, StructuralDiff.Format(request.Command)));
        }

        if (decision.Kind == DecisionKind.Request) _clients.Add(decision.Client);
        var changes = ImmutableArray.CreateBuilder<StateChange>();
        for (var node = 0; node < states.Length; node++)
        {
            if (ReferenceEquals(states[node], engine.States[node])) continue;
            foreach (var (path, before, after) in StructuralDiff.Changes(states[node], engine.States[node]))
                changes.Add(new StateChange(node, path, before, after));
        }

        _events.Add(new TraceEvent
        {
            Index = index,
            Round = round,
            Kind = decision.Kind,
            Node = decision.Node,
            Peer = decision.Peer,
            Number = decision.Number,
            Client = decision.Client,
            Owed = owed,
            Label = decision.ToString(),
            Text = string.Join(Environment.NewLine, _lines.Skip(linesBefore)).Trim(),
            Outcome = outcome,
            MessageId = acted.MessageId,
            Message = acted.Text,
            Sends = sends.ToImmutable(),
            Requests = requests.ToImmutable(),
            Replies = Released(decision, replies),
            Changes = changes.ToImmutable(),
        });
        return true;
    }

    /// <summary>The message (its id and text) or request command a decision is about to act on.</summary>
    private (long MessageId, string? Text) FindActedOn(in Decision decision)
    {
        if (decision.Kind is DecisionKind.Deliver or DecisionKind.Drop or DecisionKind.Duplicate or DecisionKind.Delay)
        {
            for (var i = 0; i < _engine.ReadyCount; i++)
            {
                ref readonly var packet = ref _engine.ReadyAt(i);
                if (packet.From != decision.Node || packet.To != decision.Peer || packet.Ordinal != decision.Number) continue;
                return (_messageIds.GetValueOrDefault((packet.From, packet.To, packet.Ordinal), -1), StructuralDiff.Format(packet.Message));
            }
        }
        else if (decision.Kind == DecisionKind.Request)
        {
            for (var i = 0; i < _engine.RequestCount; i++)
            {
                var request = _engine.RequestAt(i);
                if (request.Client == decision.Client && request.Sequence == decision.Number && request.Node == decision.Node)
                    return (-1, StructuralDiff.Format(request.Command));
            }
        }

        return (-1, null);
    }

    private List<(int Node, ClientReply<TReply>[] Replies)> PendingRepliesByNode()
    {
        var pending = new List<(int, ClientReply<TReply>[])>();
        for (var node = 0; node < _engine.Nodes; node++)
        {
            var replies = _engine.PendingReplies(node);
            if (replies.Count > 0) pending.Add((node, [.. replies]));
        }

        return pending;
    }

    /// <summary>Replies that were pending before a flush or a round and are gone after it: released (a crash discards instead).</summary>
    private ImmutableArray<TraceReply> Released(in Decision decision, List<(int Node, ClientReply<TReply>[] Replies)> pending)
    {
        if (decision.Kind is not (DecisionKind.Flush or DecisionKind.Round) || pending.Count == 0) return [];
        var released = ImmutableArray.CreateBuilder<TraceReply>();
        foreach (var (node, replies) in pending)
        {
            if (_engine.PendingReplies(node).Count >= replies.Length) continue;
            foreach (var reply in replies)
            {
                _clients.Add(reply.Client.Value);
                released.Add(new TraceReply(node, reply.Client.Value, reply.Sequence, StructuralDiff.Format(reply.Reply)));
            }
        }

        return released.ToImmutable();
    }
}
