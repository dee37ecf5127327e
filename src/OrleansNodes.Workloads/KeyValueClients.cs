using OrleansNodes.Protocols.KeyValue;
using OrleansNodes.Simulation;
using OrleansNodes.Simulation.Linearizability;

namespace OrleansNodes.Workloads;

/// <summary>
/// Simulated key-value clients: each has one request outstanding, retries it with the same
/// (client, sequence) on timeout or redirect, and records invocations and replies in simulated
/// time. At the end the history must be linearizable (an operation still outstanding may or may
/// not have taken effect); that every operation completes is the liveness phase's judgement
/// (<c>workload settles</c>), since a run or a shrunk schedule may end with clients still waiting.
/// </summary>
/// <remarks>
/// Revision 2 (the default; a schedule that records no <c>revision</c> replays with revision 1)
/// makes counterexamples short. Each operation draws from its own random stream, derived from the
/// seed, the client and the sequence number (when it is issued and what it does), and each client
/// routes with a stream of its own, so a run with one client fewer, or with rounds deleted, leaves
/// the other operations as they were: shrinking to fewer clients keeps the rest of the run. And a client redirected by
/// a node that knows no leader backs off (1, 2, 4, … rounds, at most <see cref="BackoffRoundsMax"/>)
/// instead of asking again every round: while an election is under way each retry is a decision a
/// counterexample must carry, and the round cannot end until the request lands. Shrinking may
/// also silence single clients (the <c>idle</c> parameter: they never issue a request), which
/// removes their requests and leaves everyone else's as they were.
/// </remarks>
public sealed class KeyValueClients : IWorkload<KeyValueCommand, KeyValueReply>
{
    private readonly Client[] _clients;
    private readonly HistoryBuilder _history = new();
    private readonly int _operationsPerClient;
    private readonly int _timeoutRounds;
    private readonly string[] _keys;
    private readonly int _revision;
    private readonly ImmutableSortedSet<int> _idle;
    private SeededRandom _random;

    public KeyValueClients(
        WorkloadSetup setup, int clients = 3, int operationsPerClient = 8, int timeoutRounds = 12, int keys = 2, int revision = Revision, IEnumerable<int>? idle = null)
    {
        ArgumentNullException.ThrowIfNull(setup);
        _random = SeededRandom.From(setup.Seed);
        _operationsPerClient = operationsPerClient;
        _timeoutRounds = timeoutRounds;
        _revision = revision;
        _idle = [.. idle ?? []];
        _keys = [.. Enumerable.Range(0, keys).Select(k => ((char)('a' + k)).ToString())];
        _clients = [.. Enumerable.Range(1, clients).Select(c => new Client(new ClientId(c), new NodeId(c % setup.Nodes), SeededRandom.Mix(setup.Seed, (ulong)c)))];
    }

    /// <summary>The clients' behaviour new runs get (see remarks); schedules record it.</summary>
    public const int Revision = 2;

    /// <summary>The longest a revision-2 client waits before asking again after a redirect that names no leader.</summary>
    public const int BackoffRoundsMax = 8;

    /// <summary>The workload kind recorded in schedules (<see cref="WorkloadSpec.Kind"/>).</summary>
    public const string Kind = "kv-clients";

    /// <summary>The signature of a failed linearizability check, which shrinking keeps.</summary>
    public const string NotLinearizable = "history not linearizable";

    /// <summary>
    /// A factory for <see cref="Simulation.Simulator{TSettings, TState, TMessage, TRequest, TReply}.WithWorkload(WorkloadFactory{TRequest, TReply})"/>:
    /// a fresh set of clients per run, described by a <see cref="WorkloadSpec"/> that saved schedules record.
    /// </summary>
    public static WorkloadFactory<KeyValueCommand, KeyValueReply> Factory(int clients = 3, int operationsPerClient = 8, int keys = 2, int timeoutRounds = 12) =>
        Factory(new Load(clients, operationsPerClient, []), keys, timeoutRounds, Revision);

    private static WorkloadFactory<KeyValueCommand, KeyValueReply> Factory(Load load, int keys, int timeoutRounds, int revision) =>
        new(
            Spec(load, keys, timeoutRounds, revision),
            setup => new KeyValueClients(setup, load.Clients, load.Operations, timeoutRounds, keys, revision, load.Idle))
        {
            Variant = spec => spec.Kind == Kind ? Factory(spec) : null,
            Smaller = [.. SmallerLoads(load, revision).Select(smaller => Spec(smaller, keys, timeoutRounds, revision))],
        };

    /// <summary>Revision 1 is recorded as no revision at all, so its specs read as they always did.</summary>
    private static WorkloadSpec Spec(Load load, int keys, int timeoutRounds, int revision)
    {
        List<(string, object)> parameters = [("clients", load.Clients), ("operationsPerClient", load.Operations), ("keys", keys), ("timeoutRounds", timeoutRounds)];
        if (revision != 1) parameters.Add(("revision", revision));
        if (!load.Idle.IsEmpty) parameters.Add(("idle", string.Join(",", load.Idle)));
        return WorkloadSpec.Of(Kind, [.. parameters]);
    }

    /// <summary>
    /// What shrinking tries, coarsest first: fewer clients (one, two, …), then (revision 2) one
    /// more client silenced, then fewer operations each.
    /// </summary>
    private static IEnumerable<Load> SmallerLoads(Load load, int revision)
    {
        for (var c = 1; c < load.Clients; c++)
            foreach (var o in Fewer(load.Operations)) yield return new Load(c, o, [.. load.Idle.Where(i => i <= c)]);
        if (revision >= 2 && load.Clients - load.Idle.Count > 1)
            foreach (var c in Enumerable.Range(1, load.Clients).Where(c => !load.Idle.Contains(c))) yield return load with { Idle = load.Idle.Add(c) };
        foreach (var o in Fewer(load.Operations).Where(o => o < load.Operations)) yield return load with { Operations = o };
    }

    private static IEnumerable<int> Fewer(int operations) => new[] { 1, 2, 4, operations }.Distinct().Where(o => o <= operations);

    /// <summary>The factory a schedule's <see cref="WorkloadSpec"/> describes; throws <see cref="FormatException"/> when it describes other clients.</summary>
    public static WorkloadFactory<KeyValueCommand, KeyValueReply> Factory(WorkloadSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Kind != Kind) throw new FormatException($"workload '{spec.Kind}' is not '{Kind}'");
        var idle = spec.Parameters.TryGetValue("idle", out var text)
            ? text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(c => int.Parse(c, System.Globalization.CultureInfo.InvariantCulture)).ToImmutableSortedSet()
            : [];
        return Factory(new Load(spec.Int("clients", 3), spec.Int("operationsPerClient", 8), idle), spec.Int("keys", 2), spec.Int("timeoutRounds", 12), spec.Int("revision", 1));
    }

    public bool IsSettled => _clients.All(c => c.Operation is null && c.Completed == _operationsPerClient);

    public void OnRound(WorkloadContext<KeyValueCommand> context)
    {
        foreach (var client in _clients)
        {
            if (client.Operation is { } operation)
            {
                if (client.RetryNow)
                {
                    if (context.Time >= client.RetryAt) Resend(context, client, operation);
                }
                else if (context.Time - client.SentAt >= _timeoutRounds)
                {
                    // No answer at all suggests the target is down or cut off: try another node.
                    client.Target = OtherNode(context, client, client.Target);
                    Resend(context, client, operation);
                }
            }
            else if (client.Completed < _operationsPerClient && !_idle.Contains((int)client.Id.Value) && DrawForOperation(client, 100) < 50)
            {
                Issue(context, client);
            }
        }
    }

    public void OnReply(WorkloadContext<KeyValueCommand> context, NodeId node, ClientReply<KeyValueReply> reply)
    {
        var client = _clients.FirstOrDefault(c => c.Id == reply.Client);
        if (client?.Operation is not { } operation || reply.Sequence != client.Sequence) return; // a late duplicate
        if (reply.Reply is KeyValueReply.Redirect redirect)
        {
            client.Target = redirect.Leader ?? OtherNode(context, client, node);
            client.RetryNow = true;
            if (_revision >= 2) BackOff(context, client, leaderKnown: redirect.Leader is not null);
            return;
        }
        _history.Complete(operation.HistoryId, Result(reply.Reply));
        client.Target = node;
        client.BackoffRounds = 1;
        client.Operation = null;
        client.Completed++;
    }

    public WorkloadOutcome Complete(WorkloadContext<KeyValueCommand> context)
    {
        var history = _history.Build();
        var check = LinearizabilityChecker.Check(history, KeyValueModel.Instance);
        return check.IsLinearizable ? WorkloadOutcome.Pass(history) : WorkloadOutcome.Fail($"{NotLinearizable}: {check.Explanation}", NotLinearizable, history);
    }

    /// <summary>Asks the leader named at once; with no leader known, waits, twice as long each time up to <see cref="BackoffRoundsMax"/>.</summary>
    private static void BackOff(WorkloadContext<KeyValueCommand> context, Client client, bool leaderKnown)
    {
        if (leaderKnown)
        {
            client.RetryAt = context.Time;
            client.BackoffRounds = 1;
            return;
        }

        client.RetryAt = context.Time + client.BackoffRounds;
        client.BackoffRounds = Math.Min(client.BackoffRounds * 2, BackoffRoundsMax);
    }

    private void Issue(WorkloadContext<KeyValueCommand> context, Client client)
    {
        client.Sequence++;
        var (command, recorded) = NextCommand(client);
        client.OperationRandom = Client.OperationStream(client.Seed, client.Sequence + 1);
        client.Operation = new Outstanding(command, _history.Invoke(client.Id, recorded));
        Resend(context, client, client.Operation);
    }

    private void Resend(WorkloadContext<KeyValueCommand> context, Client client, Outstanding operation)
    {
        context.Send(client.Id, client.Sequence, client.Target, operation.Command);
        client.SentAt = context.Time;
        client.RetryNow = false;
    }

    private (KeyValueCommand Command, Command Recorded) NextCommand(Client client)
    {
        var key = _keys[DrawForOperation(client, _keys.Length)];
        var value = $"{client.Id}.{client.Sequence}";
        return DrawForOperation(client, 5) switch
        {
            0 => (new KeyValueCommand.Get(key), Command.Get(key)),
            1 => (new KeyValueCommand.Put(key, value), Command.Put(key, value)),
            2 => (new KeyValueCommand.Append(key, value + ";"), Command.Append(key, value + ";")),
            3 => (new KeyValueCommand.Delete(key), Command.Delete(key)),
            _ => CasCommand(client, key, value),
        };
    }

    private (KeyValueCommand Command, Command Recorded) CasCommand(Client client, string key, string value)
    {
        // Expect either "missing" or a value this client wrote before: both succeed sometimes.
        string? expected = DrawForOperation(client, 100) < 50 || client.Sequence == 1 ? null : $"{client.Id}.{client.Sequence - 1}";
        return (new KeyValueCommand.Cas(key, expected, value), Command.Cas(key, expected, value));
    }

    private static OperationResult Result(KeyValueReply reply) => reply switch
    {
        KeyValueReply.Ok => OperationResult.Ok,
        KeyValueReply.Value value => OperationResult.Read(value.Current),
        KeyValueReply.CasResult { Succeeded: true } => OperationResult.Ok,
        KeyValueReply.CasResult => OperationResult.Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(reply), reply, "not a final reply"),
    };

    private NodeId OtherNode(WorkloadContext<KeyValueCommand> context, Client client, NodeId node) =>
        context.Nodes == 1 ? node : new NodeId((node.Value + 1 + DrawForRouting(client, context.Nodes - 1)) % context.Nodes);

    /// <summary>A draw for the client's next operation (revision 2: that operation's stream), or from the stream all clients share (revision 1).</summary>
    private int DrawForOperation(Client client, int count)
    {
        if (_revision == 1) return DrawShared(count);
        var (value, next) = client.OperationRandom.Next(0, count);
        client.OperationRandom = next;
        return value;
    }

    /// <summary>A draw for where the client sends (revision 2: its own routing stream), or from the stream all clients share (revision 1).</summary>
    private int DrawForRouting(Client client, int count)
    {
        if (_revision == 1) return DrawShared(count);
        var (value, next) = client.RoutingRandom.Next(0, count);
        client.RoutingRandom = next;
        return value;
    }

    private int DrawShared(int count)
    {
        var (value, next) = _random.Next(0, count);
        _random = next;
        return value;
    }

    /// <summary>How many clients, operations each, and which clients never issue one.</summary>
    private sealed record Load(int Clients, int Operations, ImmutableSortedSet<int> Idle);

    private sealed record Outstanding(KeyValueCommand Command, int HistoryId);

    /// <summary>One client; <paramref name="seed"/> derives its routing stream and every operation's stream.</summary>
    private sealed class Client(ClientId id, NodeId target, ulong seed)
    {
        public ClientId Id { get; } = id;
        public NodeId Target { get; set; } = target;
        public SeededRandom RoutingRandom { get; set; } = SeededRandom.From(seed);

        /// <summary>The stream of the operation after <see cref="Sequence"/>: whether it starts this round, then what it does.</summary>
        public SeededRandom OperationRandom { get; set; } = OperationStream(seed, 1);

        public ulong Seed { get; } = seed;

        public static SeededRandom OperationStream(ulong seed, long sequence) => SeededRandom.From(SeededRandom.Mix(seed, (ulong)sequence));
        public long RetryAt { get; set; }
        public int BackoffRounds { get; set; } = 1;
        public long Sequence { get; set; }
        public Outstanding? Operation { get; set; }
        public long SentAt { get; set; }
        public bool RetryNow { get; set; }
        public int Completed { get; set; }
    }
}
