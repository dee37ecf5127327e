using OrleansNodes.Simulation.Linearizability;

namespace OrleansNodes.Cluster.Benchmarks;

/// <summary>
/// How a loaded cluster came back after a silo was killed, read from the load's history (whose
/// positions are Unix microseconds, docs/history-format.md and <c>kv load</c>): the first write
/// invoked after the kill that was acknowledged, and the first one-second window after the
/// kill whose acknowledged puts reach half the rate before it (measured from one second after
/// the load's first operation, so the client's own start-up does not count).
/// </summary>
public sealed record Recovery(double BaselinePutsPerSecond, double? FirstWriteSeconds, double? HalfThroughputSeconds, long UnknownAfterKill)
{
    private const long Second = 1_000_000;
    private const long Step = Second / 10;

    /// <summary>Analyses <paramref name="history"/> around a kill at <paramref name="killedAtMicros"/>, looking at most <paramref name="horizon"/> past it.</summary>
    public static Recovery Of(History history, long killedAtMicros, TimeSpan horizon)
    {
        var writes = history.Operations.Where(o => o.Command.IsMutation && o.Result.Outcome == Outcome.Ok).ToList();
        var acknowledged = writes.Select(o => o.Complete!.Value).Order().ToArray();
        var baselineFrom = history.Operations.Min(o => o.Invoke) + Second;
        var baseline = killedAtMicros > baselineFrom ? Count(acknowledged, baselineFrom, killedAtMicros) / ((killedAtMicros - baselineFrom) / (double)Second) : 0;

        var firstWrite = writes.Where(o => o.Invoke > killedAtMicros).Select(o => (long?)o.Complete!.Value).Min();
        long? half = null;
        var end = killedAtMicros + (long)horizon.TotalMicroseconds;
        for (var from = killedAtMicros; from + Second <= end; from += Step)
        {
            if (Count(acknowledged, from, from + Second) >= baseline / 2)
            {
                half = from + Second;
                break;
            }
        }
        var unknown = history.Operations.Count(o => o.Result.Outcome == Outcome.Unknown && o.Invoke > killedAtMicros);
        return new Recovery(baseline, Seconds(firstWrite - killedAtMicros), Seconds(half - killedAtMicros), unknown);
    }

    private static double? Seconds(long? micros) => micros / (double)Second;

    private static int Count(long[] sorted, long from, long to)
    {
        var lo = LowerBound(sorted, from);
        var hi = LowerBound(sorted, to);
        return hi - lo;
    }

    private static int LowerBound(long[] sorted, long value)
    {
        var index = Array.BinarySearch(sorted, value);
        if (index < 0) return ~index;
        while (index > 0 && sorted[index - 1] == value) index--;
        return index;
    }
}
