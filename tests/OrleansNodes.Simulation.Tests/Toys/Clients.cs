namespace OrleansNodes.Simulation.Tests.Toys;

/// <summary>
/// Simulated clients for <see cref="Relay"/>: each of <c>clients</c> clients issues
/// <c>operations</c> requests one at a time, to a node of its choosing, and retries at another
/// node after <c>timeoutRounds</c> rounds without an answer. The result is the list of
/// completed operations, <c>(client, sequence, answer)</c>.
/// </summary>
internal sealed class Clients(WorkloadSetup setup, int clients, int operations, int timeoutRounds, string? failWith = null) : IWorkload<string, int>
{
    private readonly long[] _sequence = new long[clients];
    private readonly long[] _sentAt = new long[clients];
    private readonly bool[] _waiting = new bool[clients];
    private readonly List<(long Client, long Sequence, int Answer)> _completed = [];
    private SeededRandom _random = SeededRandom.From(setup.Seed);

    public int Retries { get; private set; }

    public bool IsSettled => _completed.Count == clients * operations;

    public void OnRound(WorkloadContext<string> context)
    {
        for (var c = 0; c < clients; c++)
        {
            if (_waiting[c] && context.Time - _sentAt[c] < timeoutRounds) continue;
            if (_waiting[c]) Retries++;
            else if (_sequence[c] == operations) continue;
            else _sequence[c]++;
            _waiting[c] = true;
            _sentAt[c] = context.Time;
            var (node, next) = _random.Next(0, context.Nodes);
            _random = next;
            context.Send(new ClientId(c), _sequence[c], new NodeId(node), "ticks?");
        }
    }

    public void OnReply(WorkloadContext<string> context, NodeId node, ClientReply<int> reply)
    {
        var c = (int)reply.Client.Value;
        if (!_waiting[c] || reply.Sequence != _sequence[c]) return;
        _waiting[c] = false;
        _completed.Add((c, reply.Sequence, reply.Reply));
    }

    public WorkloadOutcome Complete(WorkloadContext<string> context) =>
        failWith is null ? WorkloadOutcome.Pass(_completed.ToArray()) : WorkloadOutcome.Fail(failWith, _completed.ToArray());
}
