namespace OrleansNodes.Simulation.Linearizability;

/// <summary>
/// The outcome of <see cref="LinearizabilityChecker.Check"/>. When the history is not
/// linearizable, <see cref="FailingKey"/> names the first key (in ordinal order) that is not,
/// <see cref="Counterexample"/> holds a small set of its operations that cannot be ordered, and
/// <see cref="Explanation"/> says why in words. One key that is not linearizable decides the
/// history, so the checker stops there: keys it had not finished are <see cref="Verdict.Unknown"/>
/// in <see cref="Keys"/>.
/// </summary>
public sealed record CheckResult(
    Verdict Verdict,
    ImmutableArray<KeyCheckResult> Keys,
    string Explanation,
    string? FailingKey,
    ImmutableArray<Operation> Counterexample)
{
    /// <summary>True only when the checker proved the history linearizable.</summary>
    public bool IsLinearizable => Verdict == Verdict.Linearizable;

    /// <summary>Search steps over all keys.</summary>
    public long Steps => Keys.Sum(k => k.Steps);

    /// <summary>Prints the explanation.</summary>
    public override string ToString() => Explanation;
}
