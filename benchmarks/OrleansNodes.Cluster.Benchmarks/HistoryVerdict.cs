using OrleansNodes.Simulation.Linearizability;

namespace OrleansNodes.Cluster.Benchmarks;

/// <summary>
/// Whether a load's history, final reads included, is linearizable. A lost acknowledged write
/// (a final read without the last acknowledged put of its key, nothing concurrent) can only show
/// as a violation, so a linearizable history lost none; a violation is reported with the
/// checker's explanation. Unknown outcomes may each take effect anywhere later, and a key with
/// many of them can exhaust the default search budget; that is no verdict, so such a history is
/// checked again with ten times the budget, as the cluster tests do.
/// </summary>
public sealed record HistoryVerdict(Verdict Verdict, string Explanation)
{
    /// <summary>Checks <paramref name="history"/> against the key-value model.</summary>
    public static HistoryVerdict Check(History history)
    {
        var result = LinearizabilityChecker.Check(history, KeyValueModel.Instance);
        if (result.Verdict == Verdict.Unknown)
            result = LinearizabilityChecker.Check(history, KeyValueModel.Instance, CheckOptions.Default with { MaxStepsPerKey = 10 * CheckOptions.Default.MaxStepsPerKey });
        return new HistoryVerdict(result.Verdict, result.Explanation);
    }

    /// <summary>The verdict as a table cell.</summary>
    public string Cell => Verdict switch
    {
        Verdict.Linearizable => "yes",
        Verdict.NotLinearizable => "**no**",
        _ => "no verdict (budget)",
    };

    /// <summary>Acknowledged writes lost, as a table cell: 0 when linearizable, else a pointer to the explanation.</summary>
    public string LostCell => Verdict switch
    {
        Verdict.Linearizable => "0",
        Verdict.NotLinearizable => "see the checker below",
        _ => "n/a (no verdict)",
    };
}
