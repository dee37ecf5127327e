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
        History(AtMostOneValueChosen, PropertyKind.Always, (history, _) => history.ChoseAtMostOneValue),
        History(ChosenValueWasProposed, PropertyKind.Always, (history, _) => history.ChoseOnlyProposedValues),
        Property.Always<PaxosState>(AcceptorKeepsItsPromise, KeepsPromise),
        History(LearnersLearnOnlyTheChosenValue, PropertyKind.Always, LearnedOnlyChosen),
        History(ValueChosen, PropertyKind.Sometimes, (history, _) => history.Chosen.Length > 0),
        History(AdoptedValueChosen, PropertyKind.Sometimes, (history, _) => history.ChoseAnAdoptedValue),
        Property.Eventually<PaxosState>(EveryProposerLearns, EveryUpProposerLearned),
    ];

    private static Property<PaxosState> History(string name, PropertyKind kind, Func<PaxosHistory, Observation<PaxosState>, bool> holds) => kind switch
    {
        PropertyKind.Always => HistoryGhost.Always(name, holds),
        PropertyKind.Sometimes => HistoryGhost.Sometimes(name, holds),
        _ => HistoryGhost.Eventually(name, holds),
    };

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
