using OrleansNodes.Simulation.Counterexamples;

namespace OrleansNodes.Simulation;

/// <summary>
/// A simulator seen without its protocol's types: what the console drives. Every
/// <see cref="Simulator{TSettings, TState, TMessage, TRequest, TReply}"/> is one.
/// </summary>
public interface ISimulation
{
    /// <summary>The protocol's name.</summary>
    string Protocol { get; }

    /// <summary>The protocol's properties, as <c>Kind Name</c>.</summary>
    IReadOnlyList<string> Properties { get; }

    /// <summary>One seeded run; on a violation the report carries the shrunk schedule, its trace and a replay command.</summary>
    RunReport Run(ulong seed, SimulationOptions options);

    /// <summary>Runs seeds <c>firstSeed .. firstSeed + seeds - 1</c>, stopping at the first violation; fails too when a <c>Sometimes</c> goal was never reached or the determinism self-check fails.</summary>
    SuiteReport RunSuite(int seeds, SimulationOptions options, ulong firstSeed = 0, IProgress<SuiteProgress>? progress = null);

    /// <summary>Replays a saved schedule, decision by decision, and reports what happened (with a trace when it fails).</summary>
    RunReport Replay(Schedule schedule);

    /// <summary>The readable trace of a schedule, failing or not: one line per decision, with state diffs.</summary>
    string Trace(Schedule schedule);

    /// <summary>
    /// Replays a schedule, failing or not, into a structured trace: every decision with the messages
    /// it released and acted on (linked by id), the requests and replies, the state changes, and
    /// the violation at the end. <see cref="CounterexampleViewer"/> turns it into a page.
    /// </summary>
    /// <exception cref="ScheduleFormatException">The schedule is for another protocol or other settings.</exception>
    Counterexample Explain(Schedule schedule);

    /// <summary>Runs <paramref name="seed"/> twice and compares structural hashes of every state and outbox after every step.</summary>
    DeterminismReport CheckDeterminism(ulong seed, SimulationOptions options);

    /// <summary>
    /// Explores every state the bounds of <paramref name="options"/> allow, checking the
    /// protocol's properties in each (see <see cref="Exploration.ExplorationOptions"/>).
    /// </summary>
    Exploration.ExplorationReport Explore(Exploration.ExplorationOptions options, IProgress<Exploration.ExplorationProgress>? progress = null, CancellationToken cancellation = default);
}
