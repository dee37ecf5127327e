namespace OrleansNodes.Simulation.Linearizability;

/// <summary>
/// An immutable record of what clients did to a key-value store: every operation with its
/// invocation and completion positions. Record one with <see cref="HistoryBuilder"/>, load one
/// with <see cref="HistoryJson"/>, <see cref="JepsenEtcdLog"/> or <see cref="EdnKeyValueLog"/>,
/// and judge it with <see cref="LinearizabilityChecker"/>.
/// </summary>
public sealed class History
{
    /// <summary>A history with no operations.</summary>
    public static History Empty { get; } = new([]);

    /// <summary>
    /// Wraps <paramref name="operations"/>; each must be well formed and ids must be distinct.
    /// <paramref name="initial"/> gives the value keys held before the first operation (null:
    /// absent); keys it does not name start absent, as in an empty store.
    /// </summary>
    /// <exception cref="ArgumentException">An operation is malformed or an id repeats.</exception>
    public History(IEnumerable<Operation> operations, IReadOnlyDictionary<string, string?>? initial = null)
    {
        ArgumentNullException.ThrowIfNull(operations);
        Operations = [.. operations];
        Initial = initial is null ? ImmutableDictionary<string, string?>.Empty : initial.ToImmutableDictionary(StringComparer.Ordinal);
        var ids = new HashSet<int>();
        foreach (var operation in Operations)
        {
            if (operation.Problem() is { } problem)
                throw new ArgumentException($"operation {operation.Id} {problem}: {operation}", nameof(operations));
            if (!ids.Add(operation.Id))
                throw new ArgumentException($"operation id {operation.Id} appears twice", nameof(operations));
        }
    }

    /// <summary>The operations, in the order they were recorded.</summary>
    public ImmutableArray<Operation> Operations { get; }

    /// <summary>
    /// What keys held before the first operation, for histories of a store that was not empty
    /// (a load against a cluster that earlier loads wrote to); a key not named starts absent.
    /// </summary>
    public ImmutableDictionary<string, string?> Initial { get; }

    /// <summary>The number of operations.</summary>
    public int Count => Operations.Length;

    /// <summary>The distinct keys, in ordinal order.</summary>
    public IReadOnlyList<string> Keys =>
        [.. Operations.Select(o => o.Key).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>Prints one operation per line.</summary>
    public override string ToString() => string.Join(Environment.NewLine, Operations);
}
