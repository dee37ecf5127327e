namespace OrleansNodes.Hosting.Nodes;

/// <summary>
/// Writes and bytes per second, and the mean time a write took, over the last
/// <see cref="WindowSeconds"/> seconds, counted in one-second buckets (a node writes from one
/// turn at a time, so no locking).
/// </summary>
internal sealed class StorageRate
{
    public const int WindowSeconds = 10;

    private readonly long[] _second = new long[WindowSeconds];
    private readonly long[] _writes = new long[WindowSeconds];
    private readonly long[] _bytes = new long[WindowSeconds];
    private readonly double[] _seconds = new double[WindowSeconds];

    public void Add(long bytes, double seconds)
    {
        var bucket = Bucket(out var second);
        _writes[bucket]++;
        _bytes[bucket] += bytes;
        _seconds[bucket] += seconds;
        _second[bucket] = second;
    }

    /// <summary>Writes and bytes per second over the window, and the mean write's duration in seconds (0 without writes).</summary>
    public (double Writes, double Bytes, double MeanWriteSeconds) Recent()
    {
        var now = Environment.TickCount64 / 1000;
        long writes = 0, bytes = 0;
        double seconds = 0;
        for (var i = 0; i < WindowSeconds; i++)
        {
            if (now - _second[i] >= WindowSeconds) continue;
            writes += _writes[i];
            bytes += _bytes[i];
            seconds += _seconds[i];
        }
        return ((double)writes / WindowSeconds, (double)bytes / WindowSeconds, writes == 0 ? 0 : seconds / writes);
    }

    private int Bucket(out long second)
    {
        second = Environment.TickCount64 / 1000;
        var bucket = (int)(second % WindowSeconds);
        if (_second[bucket] != second)
        {
            _writes[bucket] = 0;
            _bytes[bucket] = 0;
            _seconds[bucket] = 0;
        }
        return bucket;
    }
}
