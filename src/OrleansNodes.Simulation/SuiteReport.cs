using System.Globalization;
using System.Text;

namespace OrleansNodes.Simulation;

/// <summary>
/// The outcome of a suite of seeded runs: the counts the console's summary table shows (runs,
/// steps, steps per second, how many runs reached each goal) and, when it failed, why.
/// </summary>
public sealed record SuiteReport
{
    /// <summary>The protocol's name.</summary>
    public required string Protocol { get; init; }

    /// <summary>Runs made (a suite stops at its first violation).</summary>
    public required int Runs { get; init; }

    /// <summary>Runs asked for.</summary>
    public required int RunsRequested { get; init; }

    /// <summary>The first seed; run <c>i</c> used seed <c>FirstSeed + i</c>.</summary>
    public required ulong FirstSeed { get; init; }

    /// <summary>Steps over all runs.</summary>
    public long Steps { get; init; }

    /// <summary>Deliveries over all runs.</summary>
    public long Deliveries { get; init; }

    /// <summary>Wall-clock time the runs took (shrinking and reporting excluded).</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Steps per second of wall-clock time.</summary>
    public double StepsPerSecond => Elapsed > TimeSpan.Zero ? Steps / Elapsed.TotalSeconds : 0;

    /// <summary>Per <c>Sometimes</c> goal, how many runs reached it.</summary>
    public IReadOnlyList<GoalReport> Goals { get; init; } = [];

    /// <summary>Properties the suite could not (always) evaluate, one sentence each; they do not fail it.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>With <see cref="SimulationOptions.Swarm"/>, how many runs drew each kind of configuration (cluster size, fault kind, none, biased crashes).</summary>
    public IReadOnlyList<ConfigurationCount> Configurations { get; init; } = [];

    /// <summary>The first violation, or null.</summary>
    public Violation? Violation { get; init; }

    /// <summary>The determinism self-check, when it ran.</summary>
    public DeterminismReport? Determinism { get; init; }

    /// <summary>Why the suite failed (a violation, an unreached goal, nondeterminism), or null when it passed.</summary>
    public string? Failure { get; init; }

    /// <summary>True when every run passed, every goal was reached and the protocol was deterministic.</summary>
    public bool Passed => Failure is null;

    /// <summary>Throws <see cref="SimulationFailedException"/> with the full report when the suite failed.</summary>
    public void ThrowIfFailed()
    {
        if (Failure is { } failure) throw new SimulationFailedException(failure, Violation);
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Protocol}: {Runs}/{RunsRequested} runs from seed {FirstSeed}, {Steps} steps, {StepsPerSecond:F0} steps/s");
        foreach (var goal in Goals) text.Append(CultureInfo.InvariantCulture, $"; '{goal.Name}' reached in {goal.RunsReached} runs");
        text.AppendLine();
        if (Configurations.Count > 0)
            text.Append("configurations: ").AppendJoin(", ", Configurations.Select(c => $"{c.Kind} in {c.Runs}")).AppendLine();
        foreach (var warning in Warnings) text.Append("warning: ").AppendLine(warning);
        text.Append(Failure ?? "passed");
        return text.ToString();
    }
}
