using System.Globalization;
using System.Text;

namespace OrleansNodes.Simulation.Engine;

/// <summary>
/// The engine's trace: one line per decision with the stepped node's state diff, written only
/// when <see cref="TraceLines"/> is set (the reporting replay). Normal runs format nothing.
/// </summary>
internal sealed partial class Engine<TSettings, TState, TMessage, TRequest, TReply>
{
    /// <summary>Every node's state on one line: the protocol's <c>Describe</c> when it has one, else the structural form.</summary>
    public string DescribeCluster()
    {
        var describe = _protocol.GetType().GetMethod(nameof(_protocol.Describe))!;
        var custom = describe.DeclaringType != typeof(Protocol<TSettings, TState, TMessage, TRequest, TReply>);
        var text = new StringBuilder();
        for (var i = 0; i < Nodes; i++)
        {
            if (i > 0) text.Append("; ");
            text.Append('n').Append(i).Append(_up[i] ? ": " : " (down): ").Append(custom ? _protocol.Describe(_states[i]) : StructuralDiff.Format(_states[i], 2_000));
        }

        return text.ToString();
    }

    /// <summary>Records a decision taken, unless the round owed it (its <c>round</c> implies it); the trace shows both, owed work with a <c>+</c>.</summary>
    private void Record(in Decision decision)
    {
        if (!_owing) _decisions.Add(decision);
        _lastRecorded = decision.Kind;
        if (TraceLines is null) return;
        EndLine();
        if (_owing) _line.Append(CultureInfo.InvariantCulture, $"    + r{_round} ").Append(decision.ToString()).Append(" (owed by the round)");
        else _line.Append(CultureInfo.InvariantCulture, $"{_decisions.Count,5} r{_round} ").Append(decision.ToString());
    }

    /// <summary>Appends to the current trace line. Callers guard with <c>TraceLines is not null</c> so normal runs never format.</summary>
    private void Note(string text)
    {
        if (TraceLines is null) return;
        _line.Append(_line.Length > 0 ? "  " : string.Empty).Append(text);
    }

    private void NoteStep(int node, TState before, TState after, ReadOnlySpan<Envelope<TMessage>> sends, ReadOnlySpan<ClientReply<TReply>> replies)
    {
        var diff = StructuralDiff.Describe(before, after);
        Note($"| n{node}: " + (diff.Length > 0 ? diff : "unchanged"));
        if (sends.Length > 0)
        {
            var text = new StringBuilder(" | sends ");
            for (var i = 0; i < sends.Length; i++)
            {
                if (i > 0) text.Append(", ");
                text.Append("->n").Append(sends[i].To.Value).Append(' ').Append(StructuralDiff.Format(sends[i].Message));
                if (i == 7 && sends.Length > 9)
                {
                    text.Append(", … ").Append(sends.Length - 8).Append(" more");
                    break;
                }
            }

            _line.Append(text);
        }

        foreach (var reply in replies) _line.Append(" | replies ").Append(reply.Client).Append('#').Append(reply.Sequence).Append(' ').Append(StructuralDiff.Format(reply.Reply));
    }

    private void NoteFlush(int node, int steps, int messages, int replies, string? written)
    {
        // A flush decision names its node; a round's implicit flushes need the name.
        if (_lastRecorded == DecisionKind.Round) _line.Append(CultureInfo.InvariantCulture, $"  | n{node}");
        _line.Append(CultureInfo.InvariantCulture, $"  flushed {steps} step(s), wrote {written ?? "nothing"}");
        if (messages > 0) _line.Append(CultureInfo.InvariantCulture, $", released {messages} message(s)");
        if (replies > 0) _line.Append(CultureInfo.InvariantCulture, $", answered {replies} request(s)");
    }

    private void EndLine()
    {
        if (TraceLines is null || _line.Length == 0) return;
        TraceLines.Add(_line.ToString());
        _line.Clear();
    }

    /// <summary>The client request in flight at <paramref name="index"/> (requests join at the end), for <see cref="CounterexampleBuilder{TSettings, TState, TMessage, TRequest, TReply}"/>.</summary>
    public PendingRequest<TRequest> RequestAt(int index) => _requests[index];

    /// <summary>The replies <paramref name="node"/> has stepped but not yet released by a flush.</summary>
    public IReadOnlyList<ClientReply<TReply>> PendingReplies(int node) => _unsentReplies[node];
}
