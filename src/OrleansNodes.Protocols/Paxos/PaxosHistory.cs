namespace OrleansNodes.Protocols.Paxos;

/// <summary>
/// Ghost state for Paxos' properties: every vote any acceptor cast durably, which values were
/// chosen, and which values were ever proposed. Acceptors move on to higher ballots and
/// overwrite their votes, so "chosen" (a majority accepted one value in one ballot, §2.1) is
/// a fact about the run's history that no single snapshot of states can show.
/// </summary>
/// <remarks>
/// A host persists a node's state once per batch of steps and sends nothing before, so a crash
/// may undo votes cast in the batch it interrupted; nobody heard of them, which makes their
/// loss the same as the loss of the <c>Accept</c> messages. The history therefore retracts
/// them when it observes a crashed node showing its persisted state: the votes cast since the
/// node last came up that are above the vote that survived. Votes from before that are never
/// retracted, so a restart that forgets a durable vote is a bug the properties catch rather
/// than excuse.
/// </remarks>
/// <param name="Votes">Every (acceptor, ballot) vote counted so far, with its value: an acceptor counts once per ballot.</param>
/// <param name="VoteCounts">How many acceptors voted for each (ballot, value).</param>
/// <param name="FirstAccepted">The lowest ballot in which each value was accepted by anyone.</param>
/// <param name="Chosen">Every (ballot, value) that a majority accepted, in the order it happened.</param>
/// <param name="Proposed">Every value any proposer ever held.</param>
/// <param name="SinceUp">The votes cast since their acceptor was last seen coming up: the only ones a crash can undo.</param>
public sealed record PaxosHistory(
    ImmutableDictionary<(NodeId Acceptor, Ballot Ballot), string> Votes,
    ImmutableDictionary<Vote, int> VoteCounts,
    ImmutableDictionary<string, Ballot> FirstAccepted,
    ImmutableArray<Vote> Chosen,
    ImmutableHashSet<string> Proposed,
    ImmutableHashSet<(NodeId Acceptor, Ballot Ballot)> SinceUp)
{
    /// <summary>The history of a run before its first step.</summary>
    public static readonly PaxosHistory Empty = new(
        ImmutableDictionary<(NodeId, Ballot), string>.Empty,
        ImmutableDictionary<Vote, int>.Empty,
        ImmutableDictionary<string, Ballot>.Empty,
        [],
        [],
        []);

    /// <summary>
    /// Folds one observation in: the stepped node's state; or, when no node stepped (the initial
    /// check, or after a fault), every node's, retracting the undone votes of crashed nodes.
    /// </summary>
    public PaxosHistory Observe(Observation<PaxosState> observation)
    {
        var majority = observation.Count / 2 + 1;
        if (observation.Stepped is { } node)
        {
            // Most steps are ticks that change nothing; a step that returned the same state
            // cannot have cast a vote or proposed a value, and this fold runs once per property.
            var after = observation.States[node.Value];
            return ReferenceEquals(after, observation.Before) ? this : Record(node, after, majority);
        }
        var history = this;
        for (var i = 0; i < observation.Count; i++)
        {
            var id = new NodeId(i);
            if (!observation.Up[i]) history = history.RetractUnpersisted(id, observation.States[i].Accepted, majority);
            history = history.Record(id, observation.States[i], majority);
        }
        return history;
    }

    /// <summary>True when <paramref name="value"/> was chosen in some ballot.</summary>
    public bool IsChosen(string value)
    {
        foreach (var vote in Chosen)
            if (vote.Value == value) return true;
        return false;
    }

    /// <summary>True when every chosen value was held by some proposer.</summary>
    public bool ChoseOnlyProposedValues
    {
        get
        {
            foreach (var vote in Chosen)
                if (!Proposed.Contains(vote.Value)) return false;
            return true;
        }
    }

    /// <summary>True when no two chosen ballots carry different values.</summary>
    public bool ChoseAtMostOneValue
    {
        get
        {
            for (var i = 1; i < Chosen.Length; i++)
                if (Chosen[i].Value != Chosen[0].Value) return false;
            return true;
        }
    }

    /// <summary>
    /// True when some value was chosen in a ballot of a proposer other than the one whose ballot
    /// first carried it: the second proposer adopted it from the promises (P2c) and saw it through.
    /// </summary>
    public bool ChoseAnAdoptedValue
    {
        get
        {
            foreach (var vote in Chosen)
                if (FirstAccepted[vote.Value].Proposer != vote.Ballot.Proposer) return true;
            return false;
        }
    }

    private PaxosHistory Record(NodeId node, PaxosState state, int majority)
    {
        var history = this;
        if (state.Proposal is { } proposal && !Proposed.Contains(proposal))
            history = history with { Proposed = Proposed.Add(proposal) };
        if (state.Accepted is { } vote && !history.Votes.ContainsKey((node, vote.Ballot)))
            history = history.Count(node, vote, majority);
        return history;
    }

    private PaxosHistory Count(NodeId node, Vote vote, int majority)
    {
        var count = VoteCounts.GetValueOrDefault(vote) + 1;
        var first = FirstAccepted.TryGetValue(vote.Value, out var known) && known <= vote.Ballot
            ? FirstAccepted
            : FirstAccepted.SetItem(vote.Value, vote.Ballot);
        return this with
        {
            Votes = Votes.Add((node, vote.Ballot), vote.Value),
            SinceUp = SinceUp.Add((node, vote.Ballot)),
            VoteCounts = VoteCounts.SetItem(vote, count),
            FirstAccepted = first,
            Chosen = count == majority ? Chosen.Add(vote) : Chosen,
        };
    }

    /// <summary>
    /// Forgets the votes <paramref name="node"/> cast since it last came up that are above the
    /// one that survived in its persisted state: the crash undid them before anyone heard of them.
    /// </summary>
    private PaxosHistory RetractUnpersisted(NodeId node, Vote? persisted, int majority)
    {
        var recent = SinceUp.Where(key => key.Acceptor == node).ToList();
        if (recent.Count == 0) return this;
        var votes = Votes;
        var counts = VoteCounts;
        foreach (var key in recent)
        {
            if (persisted is { } kept && key.Ballot <= kept.Ballot) continue;
            var vote = new Vote(key.Ballot, votes[key]);
            votes = votes.Remove(key);
            counts = counts.SetItem(vote, counts[vote] - 1);
        }
        return this with
        {
            Votes = votes,
            VoteCounts = counts,
            Chosen = [.. Chosen.Where(vote => counts[vote] >= majority)],
            SinceUp = SinceUp.Except(recent),
        };
    }
}
