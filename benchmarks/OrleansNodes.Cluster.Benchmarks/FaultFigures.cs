using OrleansNodes.Simulation.Linearizability;

namespace OrleansNodes.Cluster.Benchmarks;

/// <summary>
/// What a put load saw around one fault, read from its history: the acknowledged puts per
/// second before it (from one second after the first acknowledgment, so the client's start-up
/// does not count); how long after the fault the first put invoked after it was acknowledged;
/// the longest window after the fault with no put acknowledged (the gaps between consecutive
/// acknowledgments, the first counted from the fault and the last up to the end of the load);
/// the puts invoked after the fault whose outcome stayed unknown; and how many keys a final
/// read answered (a put-only load reads only at the end), without which a lost write could not show.
/// </summary>
public sealed record FaultFigures(double PutsPerSecondBefore, double? FirstWriteSeconds, double LongestGapSeconds, int UnknownAfter, int FinalReadsAnswered, int Keys)
{
    private const long Second = 1_000_000;

    /// <summary>Reads <paramref name="history"/> around a fault at <paramref name="faultMicros"/>, up to the load's end at <paramref name="loadEndMicros"/>.</summary>
    public static FaultFigures Of(History history, long faultMicros, long loadEndMicros)
    {
        var writes = history.Operations.Where(o => o.Command.IsMutation).ToList();
        var acknowledged = writes.Where(o => o.Result.Outcome == Outcome.Ok).Select(o => o.Complete!.Value).Order().ToArray();
        var baselineFrom = acknowledged.Length > 0 ? acknowledged[0] + Second : faultMicros;
        var before = faultMicros > baselineFrom
            ? acknowledged.Count(t => t > baselineFrom && t <= faultMicros) / ((faultMicros - baselineFrom) / (double)Second)
            : 0;
        var firstWrite = writes.Where(o => o.Result.Outcome == Outcome.Ok && o.Invoke > faultMicros).Select(o => o.Complete).Min();
        var finalReads = history.Operations.Where(o => !o.Command.IsMutation && o.Result.Outcome == Outcome.Ok).Select(o => o.Key).Distinct().Count();
        return new FaultFigures(
            before,
            (firstWrite - faultMicros) / (double)Second,
            LongestGap(acknowledged, faultMicros, loadEndMicros) / (double)Second,
            writes.Count(o => o.Result.Outcome == Outcome.Unknown && o.Invoke > faultMicros),
            finalReads,
            history.Keys.Count);
    }

    private static long LongestGap(long[] acknowledged, long from, long to)
    {
        var longest = 0L;
        var previous = from;
        foreach (var at in acknowledged.Where(t => t > from && t <= to))
        {
            longest = Math.Max(longest, at - previous);
            previous = at;
        }
        return Math.Max(longest, to - previous);
    }
}
