using OrleansNodes.Protocols.Paxos;
using OrleansNodes.Simulation;

namespace OrleansNodes.Protocols.Tests.Paxos;

/// <summary>
/// Simulated Paxos clients: each proposes its own value (<c>c0</c>, <c>c1</c>, ...) to a random
/// node at a random early round, and when no answer comes within the timeout asks another node.
/// A run passes when every answer any client heard names the same value, and that value is one
/// a client proposed: the single-decree contract seen from outside.
/// </summary>
internal sealed class PaxosClients : IWorkload<PaxosCommand, PaxosReply>
{
    private readonly int _timeoutRounds;
    private readonly long[] _startRound;
    private readonly long[] _sentRound;
    private readonly long[] _sequence;
    private readonly string?[] _answers;
    private readonly List<string> _disagreements = [];
    private SeededRandom _random;

    public PaxosClients(WorkloadSetup setup, int clients = 3, int timeoutRounds = 40, int startWithinRounds = 20)
    {
        _timeoutRounds = timeoutRounds;
        _random = SeededRandom.From(setup.Seed);
        _startRound = new long[clients];
        for (var i = 0; i < clients; i++) _startRound[i] = Draw(startWithinRounds);
        _sentRound = [.. Enumerable.Repeat(-1L, clients)];
        _sequence = new long[clients];
        _answers = new string?[clients];
    }

    public bool IsSettled => _answers.All(a => a is not null);

    public void OnRound(WorkloadContext<PaxosCommand> context)
    {
        for (var client = 0; client < _answers.Length; client++)
        {
            if (_answers[client] is not null || context.Time < _startRound[client]) continue;
            if (_sentRound[client] >= 0 && context.Time - _sentRound[client] < _timeoutRounds) continue;
            var node = new NodeId(Draw(context.Nodes));
            context.Send(new ClientId(client), ++_sequence[client], node, new PaxosCommand.Propose("c" + client));
            _sentRound[client] = context.Time;
        }
    }

    public void OnReply(WorkloadContext<PaxosCommand> context, NodeId node, ClientReply<PaxosReply> reply)
    {
        var value = ((PaxosReply.Chosen)reply.Reply).Value;
        var first = _answers.FirstOrDefault(a => a is not null);
        if (first is not null && first != value) _disagreements.Add($"{reply.Client} heard {value} from {node}, another client heard {first}");
        _answers[reply.Client.Value] ??= value;
    }

    public WorkloadOutcome Complete(WorkloadContext<PaxosCommand> context)
    {
        if (_disagreements.Count > 0) return WorkloadOutcome.Fail(string.Join("; ", _disagreements), _answers);
        var proposed = Enumerable.Range(0, _answers.Length).Select(i => "c" + i).ToHashSet();
        var foreign = _answers.FirstOrDefault(a => a is not null && !proposed.Contains(a));
        return foreign is null ? WorkloadOutcome.Pass(_answers) : WorkloadOutcome.Fail($"clients heard {foreign}, which no client proposed", _answers);
    }

    private int Draw(int maxExclusive)
    {
        (var value, _random) = _random.Next(0, maxExclusive);
        return value;
    }
}
