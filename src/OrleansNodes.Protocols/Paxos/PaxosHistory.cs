namespace OrleansNodes.Protocols.Paxos;

/// <summary>
/// Ghost state for Paxos' properties: every vote any acceptor ever cast, which values were
/// chosen, and which values were ever proposed. Acceptors move on to higher ballots and
/// overwrite their votes, so "chosen" (a majority accepted one value in one ballot, §2.1) is
/// a fact about the run's history that no single snapshot of states can show.
/// </summary>
/// <param name="Voted">Every (acceptor, ballot) vote counted so far: an acceptor counts once per ballot.</param>
/// <param name="VoteCounts">How many acceptors voted for each (ballot, value).</param>
/// <param name="FirstAccepted">The lowest ballot in which each value was accepted by anyone.</param>
/// <param name="Chosen">Every (ballot, value) that reached a majority, in the order it happened.</param>
/// <param name="Proposed">Every value any proposer ever held.</param>
public sealed record PaxosHistory(
    ImmutableHashSet<(NodeId Acceptor, Ballot Ballot)> Voted,
    ImmutableDictionary<Vote, int> VoteCounts,
    ImmutableDictionary<string, Ballot> FirstAccepted,
    ImmutableArray<Vote> Chosen,
    ImmutableHashSet<string> Proposed)
{
    /// <summary>The history of a run before its first step.</summary>
    public static readonly PaxosHistory Empty = new([], ImmutableDictionary<Vote, int>.Empty, ImmutableDictionary<string, Ballot>.Empty, [], []);

    /// <summary>Folds one observation in: the stepped node's state, or every node's when no node stepped.</summary>
    public PaxosHistory Observe(Observation<PaxosState> observation)
    {
        var majority = observation.Count / 2 + 1;
        if (observation.Stepped is { } node) return Record(node, observation.States[node.Value], majority);
        var history = this;
        for (var i = 0; i < observation.Count; i++)
            history = history.Record(new NodeId(i), observation.States[i], majority);
        return history;
    }

    /// <summary>True when <paramref name="value"/> was chosen in some ballot.</summary>
    public bool IsChosen(string value)
    {
        foreach (var vote in Chosen)
            if (vote.Value == value) return true;
        return false;
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
        if (state.Accepted is { } vote && !history.Voted.Contains((node, vote.Ballot)))
            history = history.Count(node, vote, majority);
        return history;
    }

    private PaxosHistory Count(NodeId node, Vote vote, int majority)
    {
        var count = VoteCounts.GetValueOrDefault(vote) + 1;
        var first = FirstAccepted.TryGetValue(vote.Value, out var known) && known <= vote.Ballot ? FirstAccepted : FirstAccepted.SetItem(vote.Value, vote.Ballot);
        return this with
        {
            Voted = Voted.Add((node, vote.Ballot)),
            VoteCounts = VoteCounts.SetItem(vote, count),
            FirstAccepted = first,
            Chosen = count == majority ? Chosen.Add(vote) : Chosen,
        };
    }
}
