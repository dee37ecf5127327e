using OrleansNodes.Simulation;

namespace OrleansNodes.Protocols.Tests.Mutants;

/// <summary>Checks shared by the mutant tests: a counterexample is the same bug after a trip to disk, and a bug of the mutant only.</summary>
public static class Counterexamples
{
    /// <summary>The replay fails with the same violation: the same property and the same kind of failure.</summary>
    public static void AssertSameViolation(Violation expected, RunReport replay)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(replay);
        Assert.True(replay.Violation is not null, $"the replay of {expected.SchedulePath ?? "the schedule"} passed: {replay}");
        Assert.Equal(expected.Property, replay.Violation.Property);
        Assert.Equal(expected.Signature, replay.Violation.Signature);
        Assert.Equal(0, replay.SkippedDecisions);
    }

    /// <summary>
    /// The steps a counterexample takes that the explorer counts as actions (deliveries, drops,
    /// duplicates, ticks, requests, crashes, restarts, cuts, heals; not rounds, flushes or the
    /// start of the liveness phase), the work its rounds owe included: a shrunk schedule leaves
    /// that work implied, but the run still does it.
    /// </summary>
    public static int Actions(ISimulation simulation, Schedule counterexample)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        return simulation.Explain(counterexample).Events.Count(e => e.Kind is not (DecisionKind.Round or DecisionKind.Flush or DecisionKind.Live or DecisionKind.Delay));
    }

    /// <summary>
    /// Replays a mutant's (shrunk) counterexample on the correct protocol, which must pass it: a
    /// schedule the correct protocol fails too shows no bug of the mutant, only a schedule the
    /// model should not have allowed (a node starved of ticks, operations cut short).
    /// </summary>
    /// <param name="correct">The correct protocol's simulator, with the mutant's settings and clients.</param>
    /// <param name="counterexample">The mutant's schedule.</param>
    public static void AssertPassesOnCorrectProtocol(ISimulation correct, Schedule counterexample)
    {
        ArgumentNullException.ThrowIfNull(correct);
        ArgumentNullException.ThrowIfNull(counterexample);
        var report = correct.Replay(counterexample with { Protocol = correct.Protocol, Source = null, Options = counterexample.Options with { SaveSchedule = false } });
        Assert.True(report.Violation is null, $"the correct {correct.Protocol} fails the counterexample too, so it shows no bug of the mutant: {report.Violation}");
    }
}
