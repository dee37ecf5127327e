namespace OrleansNodes.Simulation.Linearizability;

/// <summary>
/// Limits and extras for <see cref="LinearizabilityChecker.Check"/>. Linearizability checking is
/// NP-complete (Gibbons &amp; Korach 1997), so a pathological history could search forever; the
/// budgets turn that into an <see cref="Verdict.Unknown"/> verdict instead of a hang.
/// </summary>
public sealed record CheckOptions
{
    /// <summary>The defaults: 20 million search steps per key, no time limit, explanations on.</summary>
    public static CheckOptions Default { get; } = new();

    /// <summary>
    /// Search steps allowed per key (one step tries one operation or backtracks once). Being a
    /// count, this budget is deterministic: the same history always gets the same verdict.
    /// </summary>
    public long MaxStepsPerKey { get; init; } = 20_000_000;

    /// <summary>
    /// Wall-clock limit for the whole check, or <c>null</c> for none. Unlike
    /// <see cref="MaxStepsPerKey"/> it depends on the machine; use it for interactive tools.
    /// </summary>
    public TimeSpan? TimeBudget { get; init; }

    /// <summary>Whether to shrink a violation to a small set of operations and explain it.</summary>
    public bool Explain { get; init; } = true;

    /// <summary>How many sub-histories the shrinker may check before settling for what it has.</summary>
    public int ShrinkChecksMax { get; init; } = 2_000;
}
