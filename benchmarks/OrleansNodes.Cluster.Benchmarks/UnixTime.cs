namespace OrleansNodes.Cluster.Benchmarks;

/// <summary>
/// The axis of a load's history: Unix microseconds (<c>kv load</c> anchors its monotonic clock
/// there), so the benchmark can place its own fault times among the operations.
/// </summary>
public static class UnixTime
{
    /// <summary>Microseconds since the Unix epoch, now.</summary>
    public static long NowMicros() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
}
