using System.Diagnostics;

namespace OrleansNodes.Hosting.Benchmarks;

/// <summary>
/// A closed-loop load: <c>sessions</c> callers, each issuing its next request when the last one
/// is answered, for a fixed time. Reports the rate and latency percentiles of the answers.
/// </summary>
public static class ClosedLoop
{
    /// <summary>What one closed-loop run measured.</summary>
    public sealed record Result(long Completed, long Failed, TimeSpan Elapsed, double LatencyMsP50, double LatencyMsP99)
    {
        /// <summary>Completed requests per second.</summary>
        public double PerSecond => Completed / Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Runs <paramref name="request"/> (session index, request number; true when it succeeded)
    /// from <paramref name="sessions"/> sessions for <paramref name="duration"/>.
    /// </summary>
    public static async Task<Result> RunAsync(int sessions, TimeSpan duration, Func<int, long, Task<bool>> request)
    {
        var started = Stopwatch.GetTimestamp();
        var runs = Enumerable.Range(0, sessions).Select(session => Task.Run(async () =>
        {
            var latencies = new List<double>();
            long failed = 0;
            for (long n = 0; Stopwatch.GetElapsedTime(started) < duration; n++)
            {
                var sent = Stopwatch.GetTimestamp();
                if (await request(session, n)) latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                else failed++;
            }
            return (latencies, failed);
        })).ToArray();
        var results = await Task.WhenAll(runs);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var all = results.SelectMany(r => r.latencies).Order().ToArray();
        return new Result(all.Length, results.Sum(r => r.failed), elapsed, Percentile(all, 0.50), Percentile(all, 0.99));
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
