using KeyValueContext = OrleansNodes.Core.StepContext<OrleansNodes.Protocols.KeyValue.KeyValueSettings, OrleansNodes.Protocols.KeyValue.KeyValueMessage, OrleansNodes.Protocols.KeyValue.KeyValueReply>;

namespace OrleansNodes.Protocols.KeyValue;

// Phase 1, once per leadership: campaigning, promising, taking over the log, standing down.
public partial class KeyValueProtocol
{
    private static KeyValueState StartPreVote(KeyValueContext context, KeyValueState state)
    {
        var ballot = new Ballot(Math.Max(state.Promised.Round, state.OwnBallot?.Round ?? 0) + 1, context.Self);
        var probe = Campaign.Probe(ballot);
        if (probe.PromiseCount >= context.Majority) return StartCampaign(context, state, ballot);
        context.Broadcast(new PreVote(ballot, state.Store.AppliedIndex));
        return RedirectPending(context, state, leader: null) with
        {
            Leader = null,
            Campaign = probe,
            Leadership = null,
            Timers = state.Timers.RestartElection(context.Settings),
        };
    }

    /// <summary>Grants when a prepare for the ballot would be promised now; changes nothing either way.</summary>
    private static KeyValueState OnPreVote(KeyValueContext context, KeyValueState state, NodeId from, PreVote preVote)
    {
        if (preVote.Ballot <= state.Promised) context.Send(from, new Preempted(state.Promised));
        else if (state.Leadership is null && !IsLoyalToLiveLeader(context, state, preVote.Ballot) && CouldPromise(context, state, preVote.AppliedIndex + 1))
            context.Send(from, new PreVoteGranted(preVote.Ballot));
        return state;
    }

    /// <summary>
    /// Whether a prepare for slots from <paramref name="fromSlot"/> on would get a promise from this
    /// replica (its ballot aside). A pre-vote is refused exactly when the prepare would be: a
    /// candidate granted pre-votes it cannot turn into promises would raise its own ballot, answer
    /// everyone else's campaigns with <c>Preempted</c>, and keep the cluster without a leader.
    /// </summary>
    private static bool CouldPromise(KeyValueContext context, KeyValueState state, long fromSlot) =>
        !IsBehindCompaction(state, fromSlot) && ReportFrom(state, fromSlot, context.Settings.PromiseBytesMax) is not null;

    /// <summary>
    /// True when a candidate asking about slots from <paramref name="fromSlot"/> on is behind this
    /// replica's compaction point: the values chosen in between are in this replica's store but
    /// no longer in its log, so its promise could not report them. It refuses instead (refusing
    /// is always safe). The most advanced replica is behind nobody's compaction point, so some
    /// candidate can always win.
    /// </summary>
    private static bool IsBehindCompaction(KeyValueState state, long fromSlot) => fromSlot <= state.CompactedIndex;

    private static KeyValueState OnPreVoteGranted(KeyValueContext context, KeyValueState state, NodeId from, PreVoteGranted granted)
    {
        if (state.Campaign is not { Probing: true } probe || granted.Ballot != probe.Ballot || probe.HasPromiseFrom(from)) return state;
        probe = probe.Grant(from);
        return probe.PromiseCount >= context.Majority ? StartCampaign(context, state, probe.Ballot) : state with { Campaign = probe };
    }

    private static KeyValueState StartCampaign(KeyValueContext context, KeyValueState state, Ballot ballot)
    {
        // The promise may have moved on since the pre-vote; a ballot must still be new.
        if (ballot <= state.Promised) ballot = new Ballot(state.Promised.Round + 1, context.Self);
        var fromSlot = state.Store.AppliedIndex + 1;
        // The candidate's acceptor promises its own ballot at once (as a Raft candidate votes
        // for itself), so it never promises an older ballot while campaigning and never follows
        // an older leader; its report still travels through the network like any other.
        context.SendToAll(new Prepare(ballot, fromSlot));
        return RedirectPending(context, state, leader: null) with
        {
            Promised = ballot,
            Leader = null,
            Campaign = Campaign.Start(ballot, fromSlot),
            Leadership = null,
            Timers = state.Timers.RestartElection(context.Settings),
        };
    }

    private static KeyValueState OnPrepare(KeyValueContext context, KeyValueState state, NodeId from, Prepare prepare)
    {
        if (prepare.Ballot < state.Promised)
        {
            context.Send(from, new Preempted(state.Promised));
            return state;
        }
        if (IsLoyalToLiveLeader(context, state, prepare.Ballot) || IsBehindCompaction(state, prepare.FromSlot)) return state;
        if (ReportFrom(state, prepare.FromSlot, context.Settings.PromiseBytesMax) is not { } report) return state;

        var next = StandDownBefore(context, state, prepare.Ballot);
        if (prepare.Ballot != next.OwnBallot)
            next = next with { Leader = null, Timers = next.Timers.RestartElection(context.Settings) };
        next = next.Promised == prepare.Ballot ? next : next with { Promised = prepare.Ballot };
        context.Send(from, new Promise(prepare.Ballot, report));
        return next;
    }

    /// <summary>
    /// Leader stickiness: a follower that heard its leader less than a minimum election
    /// timeout ago neither grants pre-votes nor promises other candidates (refusing is always
    /// safe), so a replica cut off from the leader alone cannot gather the leader's followers.
    /// Together with the pre-vote, which leaves its promise untouched while it is cut off, it
    /// rejoins without deposing anyone (Raft thesis §9.6).
    /// </summary>
    private static bool IsLoyalToLiveLeader(KeyValueContext context, KeyValueState state, Ballot ballot) =>
        state.Role == KeyValueRole.Follower &&
        state.Leader is { } leader && leader != ballot.Node && leader != context.Self &&
        state.Timers.Election.ElapsedTicks < context.Settings.ElectionTimeoutTicksMin;

    /// <summary>
    /// Every slot from <paramref name="fromSlot"/> on; slots already applied are reported as
    /// chosen. Null when the slots this replica has applied past <paramref name="fromSlot"/> would
    /// make the promise larger than <paramref name="bytesMax"/>: the candidate is that far behind,
    /// and refusing it (always safe) leaves the election to a replica that is not, whose promise
    /// holds only the few slots not yet applied and is never refused for its size.
    /// </summary>
    private static ImmutableArray<SlotEntry>? ReportFrom(KeyValueState state, long fromSlot, long bytesMax)
    {
        var report = ImmutableArray.CreateBuilder<SlotEntry>();
        long appliedBytes = 0;
        foreach (var (slot, entry) in state.Log)
        {
            if (slot < fromSlot) continue;
            var applied = slot <= state.Store.AppliedIndex;
            if (applied && (appliedBytes += entry.EstimatedBytes) > bytesMax) return null;
            var chosen = entry.Chosen || applied;
            report.Add(new SlotEntry(slot, chosen == entry.Chosen ? entry : entry with { Chosen = true }));
        }
        return report.DrainToImmutable();
    }

    private KeyValueState OnPromise(KeyValueContext context, KeyValueState state, NodeId from, Promise promise)
    {
        if (state.Campaign is not { Probing: false } campaign || promise.Ballot != campaign.Ballot || campaign.HasPromiseFrom(from)) return state;

        campaign = campaign.Add(from, promise.Entries, state.Store.AppliedIndex);
        return campaign.PromiseCount >= context.Majority
            ? BecomeLeader(context, state, campaign)
            : state with { Campaign = campaign };
    }

    /// <summary>
    /// Takes over the log: every slot after the applied prefix up to the highest one reported
    /// is proposed again in the new ballot, with the reported value or a no-op. Values reported
    /// as chosen are known chosen at once; proposing them anyway gives followers an accepted
    /// entry in this ballot, which is what they learn commits through.
    /// </summary>
    private KeyValueState BecomeLeader(KeyValueContext context, KeyValueState state, Campaign campaign)
    {
        var applied = state.Store.AppliedIndex;
        var lastSlot = campaign.Reports.Count == 0 ? applied : Math.Max(applied, campaign.Reports.Keys.Last());
        var next = state;
        var inFlight = ImmutableSortedDictionary.CreateBuilder<long, Proposal>();
        for (var slot = applied + 1; slot <= lastSlot; slot++)
        {
            var reported = campaign.Reports.GetValueOrDefault(slot);
            var value = reported?.Value ?? KeyValueBatch.Noop;
            if (reported is { Chosen: true }) next = WithEntry(context, next, slot, new LogEntry(campaign.Ballot, value, Chosen: true));
            else inFlight[slot] = new Proposal(value, 0);
            context.SendToAll(new Accept(campaign.Ballot, slot, value, applied));
        }
        context.Broadcast(new Heartbeat(campaign.Ballot, applied));

        var leadership = new Leadership(
            campaign.Ballot, lastSlot + 1, inFlight.ToImmutable(), [], PeerTicks.Create(context.Members.Length), ImmutableDictionary<NodeId, SnapshotTransfer>.Empty);
        next = next with
        {
            Leader = context.Self,
            Campaign = null,
            Leadership = leadership,
            Timers = state.Timers with { Heartbeat = state.Timers.Heartbeat.Restart() },
        };
        return MaybeApply(context, next);
    }

    private static KeyValueState OnPreempted(KeyValueContext context, KeyValueState state, Preempted preempted)
    {
        if (state.OwnBallot is not { } own || preempted.Promised <= own) return state;
        return StepDown(context, state, leader: null) with { Promised = Ballot.Max(state.Promised, preempted.Promised) };
    }

    /// <summary>Stands down when <paramref name="ballot"/> is newer than the one this replica leads or campaigns in.</summary>
    private static KeyValueState StandDownBefore(KeyValueContext context, KeyValueState state, Ballot ballot) =>
        state.OwnBallot is { } own && own < ballot ? StepDown(context, state, leader: null) : state;

    private static KeyValueState StepDown(KeyValueContext context, KeyValueState state, NodeId? leader) =>
        RedirectPending(context, state, leader) with
        {
            Leader = leader,
            Campaign = null,
            Leadership = null,
            Timers = state.Timers.RestartElection(context.Settings),
        };

    /// <summary>Queued requests and waiting gets will not be answered here: tell their clients where to retry rather than let them time out.</summary>
    private static KeyValueState RedirectPending(KeyValueContext context, KeyValueState state, NodeId? leader)
    {
        if (state.Leadership is not { } leadership) return state;
        foreach (var command in leadership.Pending)
            context.Reply(command.Client, command.Sequence, new KeyValueReply.Redirect(leader));
        foreach (var read in leadership.ReadsOrNone.Waiting)
            context.Reply(read.Client, read.Sequence, new KeyValueReply.Redirect(leader));
        return state;
    }
}
