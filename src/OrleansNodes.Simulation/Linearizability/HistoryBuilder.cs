namespace OrleansNodes.Simulation.Linearizability;

/// <summary>
/// Records a history as it happens: a simulated client calls <see cref="Invoke"/> when it
/// sends a request and <see cref="Complete"/> or <see cref="Timeout"/> when it gets a reply or
/// gives up. Each call is one event; its position is the number of events recorded before it,
/// so the recorded order is the real-time order the recorder observed (a simulator records in
/// simulated time, which is the only time there is).
/// </summary>
public sealed class HistoryBuilder
{
    private readonly List<Pending> _operations = [];
    private long _events;

    /// <summary>The number of operations invoked so far.</summary>
    public int Count => _operations.Count;

    /// <summary>Records that <paramref name="client"/> issued <paramref name="command"/>; returns the operation's id.</summary>
    public int Invoke(ClientId client, Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Problem() is { } problem) throw new ArgumentException($"{command.Verb} {problem}", nameof(command));
        _operations.Add(new Pending(client, command, _events++));
        return _operations.Count - 1;
    }

    /// <summary>
    /// Records the reply to operation <paramref name="id"/>. A reply that arrives after
    /// <see cref="Timeout"/> still counts: it is later than the timeout, which only widens the
    /// window in which the operation took effect.
    /// </summary>
    public void Complete(int id, OperationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Outcome == Outcome.Unknown) throw new ArgumentException("an unknown outcome is recorded with Timeout", nameof(result));
        var pending = Get(id);
        if (pending.Complete is not null) throw new InvalidOperationException($"operation {id} already completed");
        var completed = new Operation(id, pending.Client, pending.Command, pending.Invoke, _events, result);
        if (completed.Problem() is { } problem) throw new ArgumentException($"operation {id} {problem}", nameof(result));
        pending.Complete = _events++;
        pending.Result = result;
    }

    /// <summary>Records that the client gave up on operation <paramref name="id"/>: its outcome is unknown.</summary>
    public void Timeout(int id)
    {
        var pending = Get(id);
        if (pending.Complete is not null) throw new InvalidOperationException($"operation {id} already completed");
        _events++;
    }

    /// <summary>The history so far; operations without a reply have unknown outcomes.</summary>
    public History Build() =>
        new(_operations.Select((p, id) => new Operation(id, p.Client, p.Command, p.Invoke, p.Complete, p.Result ?? OperationResult.Unknown)));

    private Pending Get(int id) =>
        (uint)id < (uint)_operations.Count ? _operations[id] : throw new ArgumentOutOfRangeException(nameof(id), id, "no such operation");

    private sealed class Pending(ClientId client, Command command, long invoke)
    {
        public ClientId Client { get; } = client;
        public Command Command { get; } = command;
        public long Invoke { get; } = invoke;
        public long? Complete { get; set; }
        public OperationResult? Result { get; set; }
    }
}
