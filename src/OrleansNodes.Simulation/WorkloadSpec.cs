using System.Globalization;

namespace OrleansNodes.Simulation;

/// <summary>
/// What fully determines a run's clients, recorded in a schedule so that its replay drives the
/// same clients: a kind that names the workload (<c>kv-clients</c>) and its parameters
/// (<c>clients = 3</c>, <c>operationsPerClient = 8</c>, …). The workload's random choices derive
/// from the run's seed, which the schedule records too, so kind, parameters and seed recreate
/// every request the run made. A parameter may be any text, e.g. a small script of client
/// operations for an exhaustive explorer.
/// </summary>
/// <param name="Kind">The workload's name, which whoever replays maps back to a factory.</param>
/// <param name="Parameters">Its parameters, by name.</param>
public sealed record WorkloadSpec(string Kind, ImmutableSortedDictionary<string, string> Parameters)
{
    /// <summary>
    /// A spec from name-value pairs; integers are written as numbers in a schedule file. A null
    /// value leaves its parameter out, so an optional one added later keeps older specs as they read.
    /// </summary>
    public static WorkloadSpec Of(string kind, params (string Name, object? Value)[] parameters)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in parameters)
            if (value is not null) builder[name] = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        return new WorkloadSpec(kind, builder.ToImmutable());
    }

    /// <summary>The integer parameter <paramref name="name"/>, or <paramref name="fallback"/> when absent; throws <see cref="FormatException"/> when it is not an integer.</summary>
    public int Int(string name, int fallback) =>
        !Parameters.TryGetValue(name, out var text) ? fallback
        : int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value
        : throw new FormatException($"workload parameter '{name}' must be an integer, not '{text}'");

    /// <summary>Structural equality over the parameters.</summary>
    public bool Equals(WorkloadSpec? other) =>
        other is not null && Kind == other.Kind && Parameters.Count == other.Parameters.Count
        && Parameters.All(p => other.Parameters.TryGetValue(p.Key, out var v) && v == p.Value);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, Parameters.Count);

    /// <summary>Readable form, e.g. <c>kv-clients(clients=3, keys=2, operationsPerClient=8)</c>.</summary>
    public override string ToString() => $"{Kind}({string.Join(", ", Parameters.Select(p => $"{p.Key}={p.Value}"))})";
}
