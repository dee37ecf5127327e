using OrleansNodes.Simulation;

namespace OrleansNodes.Client.Commands;

/// <summary>Parses <c>--faults drop,duplicate,reorder,partition,crash,skew,isolate-leader</c> (or <c>all</c>, <c>none</c>).</summary>
public static class FaultList
{
    private static readonly (string Name, FaultKinds Kind)[] Names =
    [
        ("drop", FaultKinds.Drop),
        ("duplicate", FaultKinds.Duplicate),
        ("reorder", FaultKinds.Reorder),
        ("partition", FaultKinds.Partition),
        ("crash", FaultKinds.Crash),
        ("skew", FaultKinds.Skew),
        ("isolate-leader", FaultKinds.IsolateLeader),
        ("all", FaultKinds.All),
        ("none", FaultKinds.None),
    ];

    /// <summary>The accepted words, for help and errors.</summary>
    public static string Accepted => string.Join(",", Names.Select(n => n.Name));

    /// <summary>Parses a comma-separated list; null with an error message when a word is unknown.</summary>
    public static FaultKinds? Parse(string text, out string? error)
    {
        error = null;
        var kinds = FaultKinds.None;
        foreach (var raw in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var match = Names.FirstOrDefault(n => string.Equals(n.Name, raw, StringComparison.OrdinalIgnoreCase));
            if (match.Name is null)
            {
                error = $"unknown fault '{raw}'; use a comma-separated list of {Accepted}";
                return null;
            }
            kinds |= match.Kind;
        }
        return kinds;
    }

    /// <summary>The list form of <paramref name="kinds"/>, e.g. <c>drop,crash</c>.</summary>
    public static string Format(FaultKinds kinds) =>
        kinds == FaultKinds.None ? "none"
        : kinds == FaultKinds.All ? "all"
        : string.Join(",", Names.Where(n => n.Kind is not FaultKinds.All and not FaultKinds.None && kinds.HasFlag(n.Kind)).Select(n => n.Name));
}
