namespace OrleansNodes.Protocols.Paxos;

/// <summary>
/// Single-decree Paxos' properties (Paxos Made Simple §2.1 states the safety requirements):
/// only a proposed value may be chosen, only one value is chosen, and a process never learns
/// that a value has been chosen unless it actually has been. The acceptor rule behind them
/// (P1a) is checked on every transition, and the goals make sure a suite actually reaches a
/// decision, including one that survived a ballot conflict.
/// </summary>
public static class PaxosProperties
{
    /// <summary>Safety (§2.1): at most one value is chosen, across all ballots of the run.</summary>
    public const string AtMostOneValueChosen = "at most one value is chosen";

    /// <summary>Safety (§2.1): only a value that has been proposed may be chosen.</summary>
    public const string ChosenValueWasProposed = "a chosen value was proposed";

    /// <summary>P1a (§2.2): an acceptor's promise never decreases, and it never accepts below its promise.</summary>
    public const string AcceptorKeepsItsPromise = "an acceptor's promise never decreases and it never accepts below it";

    /// <summary>Safety (§2.1): a learner learns a value only if it has been chosen.</summary>
    public const string LearnersLearnOnlyTheChosenValue = "learners learn only the chosen value";

    /// <summary>Goal: some run chooses a value.</summary>
    public const string ValueChosen = "a value is chosen";

    /// <summary>Goal: some run chooses a value that a second proposer adopted from promises (P2c at work).</summary>
    public const string AdoptedValueChosen = "a value is chosen after another proposer adopted it";

    /// <summary>Liveness: once the network heals, every running node that has a value to propose learns the outcome.</summary>
    public const string EveryProposerLearns = "every up proposer learns a value";

    // Declared before All: static fields initialise in textual order.
    /// <summary>One history behind every history-based property, folded once per step.</summary>
    private static readonly Ghost<PaxosState, PaxosHistory> HistoryGhost =
        Property.Ghost<PaxosState, PaxosHistory>(PaxosHistory.Empty, (history, observation) => history.Observe(observation));

    /// <summary>All of the above, as the simulator checks them.</summary>
    public static IReadOnlyList<Property<PaxosState>> All { get; } =
    [
        HistoryGhost.Always(AtMostOneValueChosen, (history, _) => history.ChoseAtMostOneValue, (history, _) => TwoValuesChosen(history)),
        HistoryGhost.Always(ChosenValueWasProposed, (history, _) => history.ChoseOnlyProposedValues, (history, _) => UnproposedChosen(history)),
        Property.Always<PaxosState>(AcceptorKeepsItsPromise, KeepsPromise, BrokenPromise),
        HistoryGhost.Always(LearnersLearnOnlyTheChosenValue, LearnedOnlyChosen, LearnedUnchosen),
        HistoryGhost.Sometimes(ValueChosen, (history, _) => history.Chosen.Length > 0),
        HistoryGhost.Sometimes(AdoptedValueChosen, (history, _) => history.ChoseAnAdoptedValue),
        Property.Eventually<PaxosState>(EveryProposerLearns, EveryUpProposerLearned, StillProposing),
    ];

    private static string? TwoValuesChosen(PaxosHistory history)
    {
        foreach (var vote in history.Chosen)
            if (vote.Value != history.Chosen[0].Value)
                return $"'{history.Chosen[0].Value}' was chosen in ballot {history.Chosen[0].Ballot} and '{vote.Value}' in ballot {vote.Ballot}";
        return null;
    }

    private static string? UnproposedChosen(PaxosHistory history)
    {
        foreach (var vote in history.Chosen)
            if (!history.Proposed.Contains(vote.Value)) return $"'{vote.Value}' was chosen in ballot {vote.Ballot} but no proposer ever held it";
        return null;
    }

    private static string? BrokenPromise(Observation<PaxosState> observation)
    {
        if (observation.Stepped is not { } node || observation.Before is not { } before || observation.After is not { } after) return null;
        if (after.Promised < before.Promised) return $"{node}'s promise went down from {before.Promised} to {after.Promised}";
        if (after.Accepted is { } vote && vote.Ballot > after.Promised) return $"{node} accepted {vote} above its promise {after.Promised} without promising it";
        return $"{node} accepted {after.Accepted?.ToString() ?? "nothing"} below its promise {before.Promised} (it had accepted {before.Accepted?.ToString() ?? "nothing"})";
    }

    private static string? LearnedUnchosen(PaxosHistory history, Observation<PaxosState> observation)
    {
        for (var i = 0; i < observation.Count; i++)
            if (observation.States[i].Learned is { } learned && !history.IsChosen(learned))
                return $"n{i} learned '{learned}', which no majority accepted in one ballot" +
                       (history.Chosen.IsEmpty ? " (nothing is chosen)" : $" (chosen: {string.Join(", ", history.Chosen)})");
        return null;
    }

    private static string? StillProposing(Observation<PaxosState> observation)
    {
        var proposing = new List<string>();
        for (var i = 0; i < observation.Count; i++)
            if (observation.Up[i] && observation.States[i].IsProposing) proposing.Add($"n{i} ({observation.States[i].Phase} in {observation.States[i].Ballot})");
        return proposing.Count == 0 ? null : "still proposing: " + string.Join(", ", proposing);
    }

    private static bool KeepsPromise(Observation<PaxosState> observation)
    {
        if (observation.Before is not { } before || observation.After is not { } after) return true;
        if (after.Promised < before.Promised) return false;
        if (after.Accepted is { } vote && vote.Ballot > after.Promised) return false;
        return after.Accepted == before.Accepted || after.Accepted is { } accepted && accepted.Ballot >= before.Promised;
    }

    private static bool LearnedOnlyChosen(PaxosHistory history, Observation<PaxosState> observation)
    {
        if (observation.After is { } after) return after.Learned is not { } learned || history.IsChosen(learned);
        foreach (var state in observation.States)
            if (state.Learned is { } learned && !history.IsChosen(learned)) return false;
        return true;
    }

    private static bool EveryUpProposerLearned(Observation<PaxosState> observation)
    {
        for (var i = 0; i < observation.Count; i++)
            if (observation.Up[i] && observation.States[i].IsProposing) return false;
        return true;
    }
}
