using System.Text.RegularExpressions;

namespace OrleansNodes.Silo.Tests.Telemetry;

/// <summary>
/// The metric names a PromQL expression selects, found without a full parser: what remains of
/// the expression once strings, label matchers, ranges, grouping clauses and Grafana's variables
/// are taken out is functions (a name before a parenthesis), keywords, numbers and metric names.
/// </summary>
internal static partial class PromQl
{
    // Binary and set operators, modifiers and the two number words; the grouping keywords'
    // label lists are removed before, so a bare group_left is all that is left of them.
    private static readonly HashSet<string> Keywords = ["and", "or", "unless", "bool", "offset", "group_left", "group_right", "inf", "nan"];

    /// <summary>The metric names <paramref name="expression"/> selects, e.g. <c>x_bucket</c> in <c>histogram_quantile(0.99, sum by (le) (rate(x_bucket{a="b"}[5m])))</c>.</summary>
    public static IReadOnlySet<string> MetricNames(string expression)
    {
        var text = GrafanaVariable().Replace(expression, " ");
        text = StringLiteral().Replace(text, " ");
        text = LabelMatchers().Replace(text, " ");
        text = Range().Replace(text, " ");
        text = GroupingLabels().Replace(text, " ");
        return Identifier().Matches(text)
            .Where(m => !m.Groups["call"].Success && !Keywords.Contains(m.Groups["name"].Value.ToLowerInvariant()))
            .Select(m => m.Groups["name"].Value)
            .ToHashSet();
    }

    // $cluster, ${datasource}, ${cluster:regex}, $__rate_interval.
    [GeneratedRegex(@"\$(\{[^}]*\}|\w+)")]
    private static partial Regex GrafanaVariable();

    [GeneratedRegex(@"""(\\.|[^""\\])*""|'(\\.|[^'\\])*'|`[^`]*`")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex LabelMatchers();

    // Range and subquery selectors, [5m] or [30m:1m].
    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Range();

    // by (cluster, le), without (...), on (...), ignoring (...), group_left (...), group_right (...).
    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", RegexOptions.IgnoreCase)]
    private static partial Regex GroupingLabels();

    // An identifier not inside a number or duration (1e3, 5m), and whether a call follows it.
    [GeneratedRegex(@"(?<![\w.:])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Identifier();
}
