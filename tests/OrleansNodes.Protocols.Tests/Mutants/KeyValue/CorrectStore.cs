namespace OrleansNodes.Protocols.Tests.Mutants.KeyValue;

/// <summary>
/// The real store behind the mutant wrapper, with no bug: what a mutant's counterexample must
/// pass on when the mutant is checked with other properties than the store's own
/// (<see cref="KeyValueMutant.CheckedProperties"/>).
/// </summary>
public sealed class CorrectStore : KeyValueMutant
{
    /// <inheritdoc/>
    public override string Bug => "none";

    /// <inheritdoc/>
    public override string ExpectedViolation => "";
}
