using System.Diagnostics;

namespace OrleansNodes.Benchmarks;

/// <summary>
/// Wall-clock measurement for the benchmark console: warm up once, then time several rounds
/// and keep the median, so one descheduled round on a shared machine does not skew a figure.
/// </summary>
public static class Measure
{
    /// <summary>The median of <paramref name="rounds"/> timings of <paramref name="work"/>, after one warm-up.</summary>
    public static TimeSpan Median(int rounds, Action work)
    {
        work();
        var timings = new List<TimeSpan>(rounds);
        for (var i = 0; i < rounds; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var watch = Stopwatch.StartNew();
            work();
            timings.Add(watch.Elapsed);
        }
        timings.Sort();
        return timings[timings.Count / 2];
    }

    /// <summary>Items per second.</summary>
    public static double Rate(long items, TimeSpan elapsed) => items / elapsed.TotalSeconds;
}
