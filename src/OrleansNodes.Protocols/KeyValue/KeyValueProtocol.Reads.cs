using KeyValueContext = OrleansNodes.Core.StepContext<OrleansNodes.Protocols.KeyValue.KeyValueSettings, OrleansNodes.Protocols.KeyValue.KeyValueMessage, OrleansNodes.Protocols.KeyValue.KeyValueReply>;
using KeyValueInput = OrleansNodes.Core.Input<OrleansNodes.Protocols.KeyValue.KeyValueMessage, OrleansNodes.Protocols.KeyValue.KeyValueCommand>;

namespace OrleansNodes.Protocols.KeyValue;

// Gets without the log (ReadIndex, Raft thesis §6.4): a leader answers a get from its store once
// a round of heartbeats started after the get arrived shows a majority still follows it, and the
// store has applied every slot the leader had assigned when the get arrived. No entry, no write:
// a get costs one heartbeat round trip, and one round serves every get that waited for it.
public partial class KeyValueProtocol
{
    /// <summary>
    /// The newest confirmation round whose success lets a get be answered. A seam for mutation
    /// tests: answering without waiting for the round lets a deposed leader serve stale reads.
    /// </summary>
    protected virtual long ConfirmedRound(ReadBarrier reads) => reads.Confirmed;

    private KeyValueState Read(KeyValueContext context, KeyValueState state, Leadership leadership, KeyValueInput.Request request, KeyValueCommand.Get get)
    {
        var reads = leadership.ReadsOrNone;
        // Bounded as queued writes are: past the bound a get is not taken, and its client retries.
        if (reads.Waiting.Length >= context.Settings.PendingCommandsMax) return state;
        foreach (var waiting in reads.Waiting)
            if (waiting.Client == request.Client && waiting.Sequence == request.Sequence) return state;

        // Every write acknowledged before this get was chosen in a slot the leader has assigned:
        // in its own ballot, or found by its phase 1 and proposed again.
        var read = new PendingRead(request.Client, request.Sequence, get.Key, ReadIndex: leadership.NextSlot - 1, Round: reads.Round + 1);
        leadership = StartRound(context, state, leadership with { Reads = reads with { Waiting = reads.Waiting.Add(read) } });
        return AnswerReads(context, state with { Leadership = leadership });
    }

    /// <summary>Starts the next round when gets wait for it and none is out (one at a time: those arriving meanwhile wait for the next).</summary>
    private static Leadership StartRound(KeyValueContext context, KeyValueState state, Leadership leadership)
    {
        var reads = leadership.ReadsOrNone;
        if (reads.InFlight || reads.Waiting.IsEmpty || reads.Waiting[^1].Round <= reads.Confirmed) return leadership;
        var round = reads.Round + 1;
        // A cluster of one is its own majority.
        reads = context.Majority == 1 ? reads with { Round = round, Confirmed = round, Acks = [] } : reads with { Round = round, Acks = [] };
        if (context.Majority > 1) context.Broadcast(new Heartbeat(leadership.Ballot, state.Store.AppliedIndex, round));
        return leadership with { Reads = reads };
    }

    /// <summary>Counts <paramref name="from"/>'s answer to round <paramref name="round"/>; the leader itself is one of the majority.</summary>
    private static Leadership ConfirmRead(KeyValueContext context, Leadership leadership, NodeId from, long round)
    {
        if (leadership.Reads is not { InFlight: true } reads || round != reads.Round || reads.Acks.Contains(from)) return leadership;
        reads = reads with { Acks = reads.Acks.Add(from) };
        if (reads.Acks.Length + 1 >= context.Majority) reads = reads with { Confirmed = round, Acks = [] };
        return leadership with { Reads = reads };
    }

    /// <summary>Answers every get whose round is confirmed and whose read index is applied, then starts the next round if gets wait for one.</summary>
    private KeyValueState AnswerReads(KeyValueContext context, KeyValueState state)
    {
        if (state.Leadership is not { Reads: { Waiting.IsEmpty: false } reads } leadership) return state;
        var confirmed = ConfirmedRound(reads);
        var applied = state.Store.AppliedIndex;
        var left = reads.Waiting.ToBuilder();
        left.RemoveAll(read =>
        {
            if (read.Round > confirmed || read.ReadIndex > applied) return false;
            context.Reply(read.Client, read.Sequence, new KeyValueReply.Value(state.Store.Get(read.Key)));
            return true;
        });
        leadership = leadership with { Reads = reads with { Waiting = left.Count == reads.Waiting.Length ? reads.Waiting : left.ToImmutable() } };
        return state with { Leadership = StartRound(context, state, leadership) };
    }
}
