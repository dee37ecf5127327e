namespace OrleansNodes.Core;

/// <summary>
/// One run's shared space for property checks: properties built from the same
/// <see cref="Ghost{TState, TGhost}"/> find the run's single fold here, so a history that
/// several properties judge is folded once per step, not once per property.
/// </summary>
public sealed class PropertyScope
{
    private Dictionary<object, object>? _shared;

    /// <summary>The value this run keeps under <paramref name="key"/>, made by <paramref name="create"/> on first use.</summary>
    public T Shared<T>(object key, Func<T> create) where T : class
    {
        _shared ??= new Dictionary<object, object>(ReferenceEqualityComparer.Instance);
        if (_shared.TryGetValue(key, out var value)) return (T)value;
        var made = create();
        _shared.Add(key, made);
        return made;
    }
}
