using System.Text.RegularExpressions;

namespace OrleansNodes.Silo.Tests.Telemetry;

/// <summary>
/// One metric family of an OpenMetrics scrape (<c># TYPE name type</c>) and the series names its
/// samples carry, which is what PromQL selects: a counter <c>x</c> has the series <c>x_total</c>
/// and <c>x_created</c>, a histogram <c>x_bucket</c>, <c>x_sum</c>, <c>x_count</c> and
/// <c>x_created</c>, a gauge <c>x</c>, an info <c>x_info</c>.
/// </summary>
internal sealed partial record MetricFamily(string Name, string Type, IReadOnlySet<string> SeriesNames)
{
    /// <summary>
    /// The families of an OpenMetrics exposition, in order. A sample whose name
    /// is not its family's name with a suffix the family's type allows fails the parse: the
    /// exporter and this reading of its output would then disagree on what can be queried.
    /// </summary>
    public static IReadOnlyList<MetricFamily> Parse(string exposition)
    {
        var families = new List<(string Name, string Type, HashSet<string> Series)>();
        foreach (var line in exposition.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (TypeLine().Match(line) is { Success: true } type)
            {
                families.Add((type.Groups["name"].Value, type.Groups["type"].Value, []));
                continue;
            }
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var name = SampleName().Match(line).Value;
            if (families.Count == 0) throw new FormatException($"sample {name} before any # TYPE line");
            var family = families[^1];
            if (!Suffixes(family.Type).Any(suffix => name == family.Name + suffix))
                throw new FormatException($"sample {name} does not belong to the {family.Type} {family.Name} it follows");
            family.Series.Add(name);
        }
        return [.. families.Select(f => new MetricFamily(f.Name, f.Type, f.Series))];
    }

    private static string[] Suffixes(string type) => type switch
    {
        "counter" => ["_total", "_created"],
        "histogram" => ["_bucket", "_sum", "_count", "_created"],
        "info" => ["_info"],
        _ => [""],
    };

    [GeneratedRegex(@"^# TYPE (?<name>[a-zA-Z_:][a-zA-Z0-9_:]*) (?<type>\w+)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex SampleName();
}
