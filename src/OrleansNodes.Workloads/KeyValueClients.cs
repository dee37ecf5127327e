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
public sealed class KeyValueClients : IWorkload<KeyValueCommand, KeyValueReply>
{
    private readonly Client[] _clients;
    private readonly HistoryBuilder _history = new();
    private readonly int _operationsPerClient;
    private readonly int _timeoutRounds;
    private readonly string[] _keys;
    private readonly int? _getPercent;
    private SeededRandom _random;

    /// <param name="setup">The run's seed and cluster size.</param>
    /// <param name="clients">How many clients, each with one request outstanding.</param>
    /// <param name="operationsPerClient">Operations each client completes.</param>
    /// <param name="timeoutRounds">Rounds without an answer after which a client tries another node.</param>
    /// <param name="keys">How many keys the operations spread over.</param>
    /// <param name="getPercent">
    /// Chance that an operation is a get, the rest spread evenly over the four writes; null, the
    /// default, draws each of the five kinds alike (a get one time in five).
    /// </param>
    public KeyValueClients(WorkloadSetup setup, int clients = 3, int operationsPerClient = 8, int timeoutRounds = 12, int keys = 2, int? getPercent = null)
    {
        if (getPercent is < 0 or > 100) throw new ArgumentOutOfRangeException(nameof(getPercent), getPercent, "must be a percentage");
        _getPercent = getPercent;
        _random = SeededRandom.From(setup.Seed);
        _operationsPerClient = operationsPerClient;
        _timeoutRounds = timeoutRounds;
        _keys = [.. Enumerable.Range(0, keys).Select(k => ((char)('a' + k)).ToString())];
        _clients = [.. Enumerable.Range(1, clients).Select(c => new Client(new ClientId(c), new NodeId(c % setup.Nodes)))];
    }

    /// <summary>The workload kind recorded in schedules (<see cref="WorkloadSpec.Kind"/>).</summary>
    public const string Kind = "kv-clients";

    /// <summary>The signature of a failed linearizability check, which shrinking keeps.</summary>
    public const string NotLinearizable = "history not linearizable";

    /// <summary>
    /// A factory for <see cref="Simulation.Simulator{TSettings, TState, TMessage, TRequest, TReply}.WithWorkload(WorkloadFactory{TRequest, TReply})"/>:
    /// a fresh set of clients per run, described by a <see cref="WorkloadSpec"/> that saved schedules record.
    /// </summary>
    public static WorkloadFactory<KeyValueCommand, KeyValueReply> Factory(int clients = 3, int operationsPerClient = 8, int keys = 2, int timeoutRounds = 12, int? getPercent = null) =>
        new(
            Spec(clients, operationsPerClient, keys, timeoutRounds, getPercent),
            setup => new KeyValueClients(setup, clients, operationsPerClient, timeoutRounds, keys, getPercent))
        {
            Variant = spec => spec.Kind == Kind ? Factory(spec) : null,
            Smaller = [.. SmallerLoads(clients, operationsPerClient).Select(load => Spec(load.Clients, load.Operations, keys, timeoutRounds, getPercent))],
        };

    /// <summary>The spec a schedule records; <c>getPercent</c> only when set, so specs of the default mix read as before.</summary>
    private static WorkloadSpec Spec(int clients, int operationsPerClient, int keys, int timeoutRounds, int? getPercent) =>
        WorkloadSpec.Of(Kind, ("clients", clients), ("operationsPerClient", operationsPerClient), ("keys", keys), ("timeoutRounds", timeoutRounds), ("getPercent", getPercent));

    /// <summary>Fewer clients first (one, two, …), then fewer operations each: what shrinking tries.</summary>
    private static IEnumerable<(int Clients, int Operations)> SmallerLoads(int clients, int operations)
    {
        for (var c = 1; c <= clients; c++)
            foreach (var o in new[] { 1, 2, 4, operations }.Distinct().Where(o => o <= operations))
                if ((c, o) != (clients, operations)) yield return (c, o);
    }

    /// <summary>The factory a schedule's <see cref="WorkloadSpec"/> describes; throws <see cref="FormatException"/> when it describes other clients.</summary>
    public static WorkloadFactory<KeyValueCommand, KeyValueReply> Factory(WorkloadSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Kind != Kind) throw new FormatException($"workload '{spec.Kind}' is not '{Kind}'");
        int? getPercent = spec.Int("getPercent", -1) is var percent and >= 0 ? percent : null;
        return Factory(spec.Int("clients", 3), spec.Int("operationsPerClient", 8), spec.Int("keys", 2), spec.Int("timeoutRounds", 12), getPercent);
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
                    Resend(context, client, operation);
                }
                else if (context.Time - client.SentAt >= _timeoutRounds)
                {
                    // No answer at all suggests the target is down or cut off: try another node.
                    client.Target = OtherNode(context, client.Target);
                    Resend(context, client, operation);
                }
            }
            else if (client.Completed < _operationsPerClient && Chance(50))
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
            client.Target = redirect.Leader ?? OtherNode(context, node);
            client.RetryNow = true;
            return;
        }
        _history.Complete(operation.HistoryId, Result(reply.Reply));
        client.Target = node;
        client.Operation = null;
        client.Completed++;
    }

    public WorkloadOutcome Complete(WorkloadContext<KeyValueCommand> context)
    {
        var history = _history.Build();
        var check = LinearizabilityChecker.Check(history, KeyValueModel.Instance);
        return check.IsLinearizable ? WorkloadOutcome.Pass(history) : WorkloadOutcome.Fail($"{NotLinearizable}: {check.Explanation}", NotLinearizable, history);
    }

    private void Issue(WorkloadContext<KeyValueCommand> context, Client client)
    {
        client.Sequence++;
        var (command, recorded) = NextCommand(client);
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
        var key = _keys[Draw(_keys.Length)];
        var value = $"{client.Id}.{client.Sequence}";
        var kind = _getPercent is { } getPercent ? (Draw(100) < getPercent ? 0 : 1 + Draw(4)) : Draw(5);
        return kind switch
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
        string? expected = Chance(50) || client.Sequence == 1 ? null : $"{client.Id}.{client.Sequence - 1}";
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

    private NodeId OtherNode(WorkloadContext<KeyValueCommand> context, NodeId node) =>
        context.Nodes == 1 ? node : new NodeId((node.Value + 1 + Draw(context.Nodes - 1)) % context.Nodes);

    private int Draw(int count)
    {
        var (value, next) = _random.Next(0, count);
        _random = next;
        return value;
    }

    private bool Chance(int percent) => Draw(100) < percent;

    private sealed record Outstanding(KeyValueCommand Command, int HistoryId);

    private sealed class Client(ClientId id, NodeId target)
    {
        public ClientId Id { get; } = id;
        public NodeId Target { get; set; } = target;
        public long Sequence { get; set; }
        public Outstanding? Operation { get; set; }
        public long SentAt { get; set; }
        public bool RetryNow { get; set; }
        public int Completed { get; set; }
    }
}
