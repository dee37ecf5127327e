namespace OrleansNodes.Benchmarks.Etcd;

/// <summary>
/// Latencies in microseconds, counted in buckets a sixty-fourth of a power of two wide (exact
/// below 128 µs), so a session records an operation without allocating and a percentile is
/// off by at most 1.6%. One per session, merged at the end: no locks on the measured path.
/// </summary>
public sealed class LatencyHistogram
{
    private const int Exact = 128;
    private const int SubBuckets = 64;
    private readonly long[] _counts = new long[Exact + 57 * SubBuckets];

    /// <summary>How many latencies were recorded.</summary>
    public long Count { get; private set; }

    /// <summary>Counts one latency of <paramref name="micros"/> microseconds.</summary>
    public void Record(long micros)
    {
        _counts[Index(Math.Max(0, micros))]++;
        Count++;
    }

    /// <summary>Adds <paramref name="other"/>'s counts to this one's.</summary>
    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++) _counts[i] += other._counts[i];
        Count += other.Count;
    }

    /// <summary>
    /// The nearest-rank percentile in milliseconds (the smallest latency at least
    /// <paramref name="fraction"/> of operations did not exceed, as <c>kv load</c> reports it),
    /// read as its bucket's upper edge; 0 when nothing was recorded.
    /// </summary>
    public double PercentileMs(double fraction)
    {
        if (Count == 0) return 0;
        var rank = Math.Max(1, (long)Math.Ceiling(fraction * Count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return Math.Round(UpperMicros(i) / 1000.0, 2);
        }
        return Math.Round(UpperMicros(_counts.Length - 1) / 1000.0, 2);
    }

    private static int Index(long micros)
    {
        if (micros < Exact) return (int)micros;
        var shift = 63 - (int)long.LeadingZeroCount(micros) - 6;
        return Exact + (shift - 1) * SubBuckets + (int)((micros >> shift) - SubBuckets);
    }

    private static long UpperMicros(int index)
    {
        if (index < Exact) return index;
        var shift = (index - Exact) / SubBuckets + 1;
        var top = (index - Exact) % SubBuckets + SubBuckets;
        return ((long)(top + 1) << shift) - 1;
    }
}
