namespace OrleansNodes.Simulation;

/// <summary>
/// The determinism self-check's verdict: a seed was run twice and the structural hashes of
/// every state and outbox after every step compared.
/// </summary>
/// <param name="Seed">The seed run twice.</param>
/// <param name="Steps">Steps compared.</param>
/// <param name="DivergedAtStep">The first step whose hash differed, or null.</param>
/// <param name="Message">A one-line verdict, e.g. <c>nondeterministic: run 7 and its replay diverged at step 12 (node n2 state differs: ...)</c>.</param>
public sealed record DeterminismReport(ulong Seed, long Steps, long? DivergedAtStep, string Message)
{
    /// <summary>True when both runs were identical.</summary>
    public bool IsDeterministic => DivergedAtStep is null;

    /// <inheritdoc/>
    public override string ToString() => Message;
}
