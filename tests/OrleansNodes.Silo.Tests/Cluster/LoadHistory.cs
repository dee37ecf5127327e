using System.Text;
using OrleansNodes.Simulation.Linearizability;

namespace OrleansNodes.Silo.Tests.Cluster;

/// <summary>
/// What a <c>kv load --history</c> file says around a fault. Positions in the file are Unix
/// microseconds (docs/history-format.md), so the test's own clock places its faults among them.
/// </summary>
public sealed class LoadHistory(History history)
{
    /// <summary>The operations.</summary>
    public History History { get; } = history;

    /// <summary>Reads a history file written by <c>kv load</c>.</summary>
    public static LoadHistory Load(string path) => new(HistoryJson.Load(path));

    /// <summary>Now, on the history's clock.</summary>
    public static long NowMicros() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;

    /// <summary>Operations invoked after <paramref name="fromMicros"/> that got a definite answer before <paramref name="toMicros"/>.</summary>
    public int AnsweredBetween(long fromMicros, long toMicros) =>
        History.Operations.Count(o => o.Result.Outcome != Outcome.Unknown && o.Invoke > fromMicros && o.Complete < toMicros);

    /// <summary>Acknowledged writes (put, cas that applied, append, delete) invoked after <paramref name="fromMicros"/>.</summary>
    public int AcknowledgedWritesAfter(long fromMicros) =>
        History.Operations.Count(o => o.Command.IsMutation && o.Result.Outcome == Outcome.Ok && o.Invoke > fromMicros);

    /// <summary>
    /// Checks the whole history, final reads included. Unknown outcomes (requests in flight at a
    /// fault) may each take effect anywhere later, and a key with many of them can exhaust the
    /// default search budget; that is no verdict, so such a key gets ten times the budget.
    /// </summary>
    public CheckResult Check(StringBuilder report)
    {
        var result = LinearizabilityChecker.Check(History, KeyValueModel.Instance);
        if (result.Verdict == Verdict.Unknown)
        {
            report.AppendLine($"checker: {result.Explanation}; checking again with 10x the budget");
            result = LinearizabilityChecker.Check(History, KeyValueModel.Instance, CheckOptions.Default with { MaxStepsPerKey = 10 * CheckOptions.Default.MaxStepsPerKey });
        }
        report.AppendLine($"{History.Count} operations: {result.Explanation}");
        return result;
    }
}
