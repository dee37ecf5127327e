using System.Globalization;
using OrleansNodes.Simulation.Linearizability;

namespace OrleansNodes.Client.Load;

/// <summary>
/// How often a load issues each kind of key-value operation, as integer weights, written
/// <c>put=50,get=30,cas=10,append=10</c> on the command line. Operations are drawn
/// independently per request from a seeded generator, so one seed gives one sequence of choices.
/// </summary>
public sealed record LoadMix(int Put, int Get, int Cas, int Append, int Delete)
{
    /// <summary>Mostly writes, with enough reads, compare-and-sets and appends to expose a stale read, a lost write or a doubled append.</summary>
    public static LoadMix Default { get; } = new(Put: 50, Get: 30, Cas: 10, Append: 10, Delete: 0);

    /// <summary>Only puts: the replicated-write throughput the benchmarks measure.</summary>
    public static LoadMix PutsOnly { get; } = new(Put: 1, Get: 0, Cas: 0, Append: 0, Delete: 0);

    /// <summary>The sum of the weights; a roll in <c>[0, Total)</c> picks one kind.</summary>
    public int Total => Put + Get + Cas + Append + Delete;

    /// <summary>The kind a roll in <c>[0, <see cref="Total"/>)</c> stands for.</summary>
    public OperationKind Pick(int roll)
    {
        if ((roll -= Put) < 0) return OperationKind.Put;
        if ((roll -= Get) < 0) return OperationKind.Get;
        if ((roll -= Cas) < 0) return OperationKind.Cas;
        if ((roll -= Append) < 0) return OperationKind.Append;
        return OperationKind.Delete;
    }

    /// <summary>Parses <c>kind=weight[,kind=weight...]</c>; kinds not named weigh 0. Null with <paramref name="error"/> when malformed.</summary>
    public static LoadMix? Parse(string text, out string? error)
    {
        var weights = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2 || pair[0] is not ("put" or "get" or "cas" or "append" or "delete"))
            {
                error = $"--mix '{part}' is not KIND=WEIGHT with KIND one of put, get, cas, append, delete (e.g. {Default})";
                return null;
            }
            if (!int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var weight) || weight > 1_000_000)
            {
                error = $"--mix '{part}': the weight must be a whole number from 0 to 1000000";
                return null;
            }
            if (!weights.TryAdd(pair[0], weight))
            {
                error = $"--mix names {pair[0]} twice";
                return null;
            }
        }
        var mix = new LoadMix(weights.GetValueOrDefault("put"), weights.GetValueOrDefault("get"), weights.GetValueOrDefault("cas"),
            weights.GetValueOrDefault("append"), weights.GetValueOrDefault("delete"));
        error = mix.Total > 0 ? null : $"--mix '{text}' gives every kind weight 0 (e.g. {Default})";
        return mix.Total > 0 ? mix : null;
    }

    /// <summary>The command-line form, naming only kinds with a weight.</summary>
    public override string ToString() => string.Join(',',
        new[] { ("put", Put), ("get", Get), ("cas", Cas), ("append", Append), ("delete", Delete) }
            .Where(w => w.Item2 > 0)
            .Select(w => $"{w.Item1}={w.Item2}"));
}
