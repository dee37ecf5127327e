using OrleansNodes.Simulation.Linearizability;

namespace OrleansNodes.Simulation.Exploration;

/// <summary>
/// The explorer's clients as a simulator workload, so that a counterexample the explorer saved
/// replays through the simulator's engine (<c>sim --replay</c>) with exactly the requests the
/// explorer sent: each client sends its first operation when the first round begins, the next one
/// when a reply completes the last, and follows redirects as the explorer does
/// (<see cref="ExplorationClients{TRequest, TReply}"/>). At the end it checks their history for
/// linearizability, as the explorer did on every completion, and fails as <c>workload</c> with
/// the same message.
/// </summary>
internal sealed class ScriptedClients<TRequest, TReply>(ExplorationClients<TRequest, TReply> clients, int count, int operations, int maxRedirects, bool retries = false) : IWorkload<TRequest, TReply>
{
    /// <summary>The workload kind recorded in schedules.</summary>
    public const string Kind = "explorer-clients";

    private readonly int[] _operation = new int[count];
    private readonly int[] _target = new int[count];
    private readonly int[] _redirects = new int[count];
    private readonly bool[] _waiting = new bool[count];
    private readonly int[] _entry = new int[count];
    private readonly HistoryBuilder _history = new();
    private bool _started;

    /// <inheritdoc/>
    public bool IsSettled => _operation.All(o => o >= operations);

    /// <inheritdoc/>
    public void OnRound(WorkloadContext<TRequest> context)
    {
        if (_started) return;
        _started = true;
        for (var c = 0; c < count; c++)
        {
            _target[c] = c % context.Nodes;
            Invoke(c);
            Send(context, c);
        }
    }

    /// <inheritdoc/>
    public void OnReply(WorkloadContext<TRequest> context, NodeId node, ClientReply<TReply> reply)
    {
        var c = (int)reply.Client.Value - 1;
        if ((uint)c >= (uint)count || !_waiting[c] || reply.Sequence != _operation[c] + 1) return;
        var request = clients.Script(c, _operation[c]);
        if (clients.Interpret(request, reply.Reply) is null)
        {
            if (reply.Reply is not IRedirect redirect) return;
            if (_redirects[c] >= maxRedirects)
            {
                _waiting[c] = false;
                return;
            }

            _redirects[c]++;
            _target[c] = ExplorationClients<TRequest, TReply>.Redirected(redirect, node.Value, context.Nodes);
            Send(context, c);
            return;
        }

        if (_entry[c] >= 0) _history.Complete(_entry[c], clients.Interpret(request, reply.Reply)!);
        _operation[c]++;
        _redirects[c] = 0;
        _waiting[c] = false;
        if (_operation[c] >= operations) return;
        Invoke(c);
        Send(context, c);
    }

    /// <inheritdoc/>
    public WorkloadOutcome Complete(WorkloadContext<TRequest> context)
    {
        if (clients.Model is not { } model) return WorkloadOutcome.Pass();
        var history = _history.Build();
        var check = LinearizabilityChecker.Check(history, model);
        return check.Verdict == Verdict.NotLinearizable
            ? WorkloadOutcome.Fail($"{NotLinearizable}: {check.Explanation}", NotLinearizable, history)
            : WorkloadOutcome.Pass(history);
    }

    /// <summary>The signature of a failed linearizability check, as the key-value clients give it.</summary>
    public const string NotLinearizable = "history not linearizable";

    private void Invoke(int c) =>
        _entry[c] = clients.Model is not null && clients.Describe(clients.Script(c, _operation[c])) is { } command ? _history.Invoke(new ClientId(c + 1), command) : -1;

    private void Send(WorkloadContext<TRequest> context, int c)
    {
        _waiting[c] = true;
        context.Send(new ClientId(c + 1), _operation[c] + 1, new NodeId(_target[c]), clients.Script(c, _operation[c]));

        // The explorer may retry the request at any other node; a replay delivers only the copies its decisions name.
        if (!retries) return;
        for (var node = 0; node < context.Nodes; node++)
            if (node != _target[c]) context.Send(new ClientId(c + 1), _operation[c] + 1, new NodeId(node), clients.Script(c, _operation[c]));
    }
}
