namespace OrleansNodes.Benchmarks.Etcd;

/// <summary>
/// What one closed-loop load measured: answered operations per second, the latency percentiles
/// of the answered ones, and how many got no answer (errors, timeouts).
/// </summary>
public sealed record LoadFigures(double OpsPerSecond, double LatencyMsP50, double LatencyMsP99, long Errors)
{
    /// <summary>The median of each figure over several rounds of the same cell (errors summed).</summary>
    public static LoadFigures Median(IReadOnlyList<LoadFigures> rounds) => new(
        MedianOf(rounds.Select(r => r.OpsPerSecond)),
        MedianOf(rounds.Select(r => r.LatencyMsP50)),
        MedianOf(rounds.Select(r => r.LatencyMsP99)),
        rounds.Sum(r => r.Errors));

    private static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
