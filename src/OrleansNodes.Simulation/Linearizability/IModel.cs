namespace OrleansNodes.Simulation.Linearizability;

/// <summary>
/// The sequential specification of one key, which is all a checker needs thanks to
/// P-compositionality (Herlihy &amp; Wing 1990, §3.3: a history is linearizable iff its
/// restriction to each object is). A key's state is its value, a string, so states are
/// immutable and compared ordinally; <c>null</c> is a state too (e.g. the register's nil).
/// </summary>
public interface IModel
{
    /// <summary>A short name for explanations, e.g. <c>key-value</c>.</summary>
    string Name { get; }

    /// <summary>The state of a key no operation has touched.</summary>
    string? Initial { get; }

    /// <summary>Why the model cannot interpret <paramref name="command"/>, or <c>null</c> when it can.</summary>
    string? Unsupported(Command command);

    /// <summary>
    /// Applies <paramref name="operation"/> to <paramref name="state"/> as if it took effect
    /// atomically now. Returns <c>false</c> when the recorded result could not have come from
    /// <paramref name="state"/> (a get that read another value, a cas that failed although the
    /// values matched). An operation whose outcome is unknown must always be applicable: it
    /// may have done whatever the state allows.
    /// </summary>
    bool TryStep(string? state, Operation operation, out string? next);
}
