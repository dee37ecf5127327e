using System.Text;

namespace OrleansNodes.Simulation;

/// <summary>
/// A property that failed, with everything needed to understand and reproduce it: the seed, the
/// step, the (shrunk) schedule as a readable trace, the saved schedule file and the command that
/// replays it.
/// </summary>
public sealed record Violation
{
    /// <summary>The run's seed.</summary>
    public required ulong Seed { get; init; }

    /// <summary>The violated property's name (<c>no exception in Step</c> when a step threw; <c>workload</c> when the workload failed the run).</summary>
    public required string Property { get; init; }

    /// <summary>How the property is judged.</summary>
    public required PropertyKind Kind { get; init; }

    /// <summary>
    /// What a replay must fail with to be the same counterexample, and what shrinking keeps: the
    /// kind and the property (<c>Always 'agreement'</c>), and for a workload's verdict or a
    /// throwing step, the kind of failure (<c>Always 'workload': history not linearizable</c>).
    /// </summary>
    public string Signature { get; init; } = "";

    /// <summary>One line saying what went wrong.</summary>
    public required string Message { get; init; }

    /// <summary>The number of steps the original run had taken when the violation was found.</summary>
    public required long Step { get; init; }

    /// <summary>Number of decisions of the original run up to the violation.</summary>
    public required int OriginalDecisions { get; init; }

    /// <summary>The schedule as reported: shrunk when shrinking applied, else the original.</summary>
    public required Schedule Schedule { get; init; }

    /// <summary>The readable trace of <see cref="Schedule"/>: one line per delivery, tick, flush and fault, with state diffs.</summary>
    public required string Trace { get; init; }

    /// <summary>Where the schedule was saved, or null.</summary>
    public string? SchedulePath { get; init; }

    /// <summary>
    /// How to replay the saved schedule, or null when it was not saved: for the protocols the
    /// console ships with, its command (<c>orleansnodes sim --replay "FILE"</c>); for any other
    /// protocol, which the console cannot build, the call that replays it from the author's own
    /// test (<c>Simulator.Create(new MyProtocol(), settings).Replay(Schedule.Load("FILE"))</c>).
    /// </summary>
    public string? ReplayCommand { get; init; }

    /// <summary>With <see cref="SimulationOptions.Swarm"/>, the configuration the run's seed drew (its schedule's options hold it exactly); else null.</summary>
    public string? Configuration { get; init; }

    /// <summary>The full report: what failed, where, the trace, and how to replay it.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Kind).Append(" property '").Append(Property).Append("' violated: ").AppendLine(Message);
        text.Append("protocol ").Append(Schedule.Protocol).Append(", seed ").Append(Seed).Append(", ")
            .Append(Schedule.Nodes).Append(" nodes, found at step ").Append(Step).Append(" (decision ").Append(OriginalDecisions).Append("), ")
            .Append(Schedule.Decisions.Length < OriginalDecisions ? "schedule shrunk to " : "schedule of ")
            .Append(Schedule.Decisions.Length).AppendLine(" decisions:");
        if (Configuration is { } configuration) text.Append("swarm configuration: ").AppendLine(configuration);
        text.AppendLine(Trace);
        if (ReplayCommand is { } command) text.Append("replay: ").AppendLine(command);
        return text.ToString();
    }
}
