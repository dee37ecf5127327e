using System.Globalization;
using System.Net;
using System.Text;
using OrleansNodes.Client.Load;
using OrleansNodes.Simulation.Linearizability;
using ScottPlot;

namespace OrleansNodes.Client.Testing;

/// <summary>What a run of <c>orleansnodes test</c> found, as the report and the JSON summary show it.</summary>
/// <param name="Parameters">The run's settings, in the order to show them.</param>
/// <param name="StartMicros">When the load started, on the recorder's clock.</param>
/// <param name="Samples">Every operation sent, with when and how long.</param>
/// <param name="Faults">The nemesis' faults.</param>
/// <param name="Check">The checker's verdict on the history.</param>
/// <param name="Lost">Acknowledged writes the final reads prove lost.</param>
/// <param name="Operations">Operations in the history.</param>
/// <param name="SkippedFaults">Planned faults not injected because the ones before them healed too late.</param>
public sealed record TestOutcome(
    IReadOnlyList<(string Name, string Value)> Parameters,
    long StartMicros,
    IReadOnlyList<LoadRecorder.Sample> Samples,
    IReadOnlyList<FaultWindow> Faults,
    CheckResult Check,
    IReadOnlyList<Operation> Lost,
    int Operations,
    int SkippedFaults = 0)
{
    /// <summary>Operations with an unknown outcome (sent, never answered), final reads included.</summary>
    public int Unknown => Samples.Count(s => s.Outcome == Outcome.Unknown && !s.Rejected);

    /// <summary>Operations answered (ok, or a cas that did not apply).</summary>
    public int Acknowledged => Samples.Count(s => s.Outcome != Outcome.Unknown);

    /// <summary>Whether the run passed: linearizable and nothing acknowledged lost.</summary>
    public bool Passed => Check.Verdict == Verdict.Linearizable && Lost.Count == 0;

    /// <summary>
    /// For each fault, the longest stretch without an acknowledged write from its start until the
    /// first write acknowledged after it healed: how long clients could not write because of it
    /// (a fault that leaves the leader alone may cost nothing). A fault after which no write was
    /// acknowledged counts up to the last answer of the run.
    /// </summary>
    public IReadOnlyList<(FaultWindow Fault, double Seconds)> LongestWriteGaps()
    {
        var writes = Samples.Where(s => s.Outcome == Outcome.Ok && !s.FinalRead && s.Kind != OperationKind.Get)
            .Select(s => s.InvokeMicros + s.LatencyMicros).Order().ToArray();
        var lastAnswer = Samples.Count == 0 ? StartMicros : Samples.Max(s => s.InvokeMicros + s.LatencyMicros);
        return [.. Faults.Select(fault =>
        {
            var healedAt = writes.FirstOrDefault(t => t > fault.EndMicros, Math.Max(lastAnswer, fault.EndMicros));
            long longest = 0, previous = fault.StartMicros;
            foreach (var time in writes.Where(t => t > fault.StartMicros && t < healedAt).Append(healedAt))
            {
                longest = Math.Max(longest, time - previous);
                previous = time;
            }
            return (fault, longest / 1e6);
        })];
    }
}

/// <summary>
/// The self-contained HTML report of a run: latency of every operation over time coloured by
/// outcome, acknowledged operations per second, the faults shaded on both, the checker's verdict
/// (with the operations that cannot be ordered, if any), the lost writes and the run's settings.
/// The plots are ScottPlot SVG embedded in the page: one file, no scripts, no network.
/// </summary>
public static class TestReport
{
    private const int Width = 1100;
    private const int Height = 360;

    // Points drawn per outcome at most: an hour of load is millions of operations, and every
    // point is an element of the page. Beyond this, 1 in n is drawn, and the legend says so.
    private const int MaxPoints = 40_000;

    private static readonly (string Name, Color Color)[] OutcomeColors =
    [
        ("ok", Colors.SeaGreen),
        ("cas not applied", Colors.SteelBlue),
        ("unknown", Colors.DarkOrange),
        ("refused", Colors.Crimson),
    ];

    /// <summary>The report's HTML.</summary>
    public static string Html(TestOutcome outcome)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>orleansnodes test</title><style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1200px}")
            .Append("table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}")
            .Append(".pass{color:#1a7f37}.fail{color:#cf222e}pre{background:#f6f8fa;padding:1em;overflow:auto}figure{margin:1em 0}")
            .Append("</style></head><body>\n");
        html.Append("<h1>orleansnodes test: <span class=\"").Append(outcome.Passed ? "pass\">passed" : "fail\">failed").Append("</span></h1>\n");
        html.Append("<p id=\"verdict\">").Append(Encode(Verdict(outcome))).Append("</p>\n");

        html.Append("<table id=\"figures\">");
        Row(html, "operations in the history", outcome.Operations.ToString(CultureInfo.InvariantCulture));
        Row(html, "acknowledged", outcome.Acknowledged.ToString(CultureInfo.InvariantCulture));
        Row(html, "unknown outcome", outcome.Unknown.ToString(CultureInfo.InvariantCulture));
        Row(html, "acknowledged writes lost", outcome.Lost.Count.ToString(CultureInfo.InvariantCulture));
        html.Append("</table>\n");

        html.Append("<h2>Latency</h2><figure id=\"latency\">").Append(LatencyPlot(outcome)).Append("</figure>\n");
        html.Append("<h2>Acknowledged operations per second</h2><figure id=\"throughput\">").Append(ThroughputPlot(outcome)).Append("</figure>\n");

        html.Append("<h2>Faults</h2>");
        if (outcome.Faults.Count == 0) html.Append("<p>none</p>");
        else
        {
            html.Append("<table id=\"faults\"><tr><th>fault</th><th>from (s)</th><th>to (s)</th><th>longest stretch without an acknowledged write, from its start until writes resumed (s)</th></tr>");
            foreach (var (fault, gap) in outcome.LongestWriteGaps())
                html.Append("<tr><td>").Append(Encode(fault.Label)).Append("</td><td>").Append(Seconds(outcome, fault.StartMicros)).Append("</td><td>")
                    .Append(Seconds(outcome, fault.EndMicros)).Append("</td><td>").Append(gap.ToString("0.00", CultureInfo.InvariantCulture)).Append("</td></tr>");
            html.Append("</table>");
        }
        if (outcome.SkippedFaults > 0)
            html.Append("<p>").Append(outcome.SkippedFaults).Append(" planned fault(s) skipped: the faults before them healed too late to leave time before the end of the load.</p>");

        if (outcome.Check.Verdict != Simulation.Linearizability.Verdict.Linearizable)
            html.Append("\n<h2>Checker</h2><pre id=\"explanation\">").Append(Encode(outcome.Check.Explanation ?? "")).Append("</pre>");
        if (outcome.Lost.Count > 0)
        {
            html.Append("\n<h2>Lost writes</h2><pre id=\"lost\">");
            foreach (var operation in outcome.Lost) html.Append(Encode(operation.ToString())).Append('\n');
            html.Append("</pre>");
        }

        html.Append("\n<h2>Run</h2><table id=\"parameters\">");
        foreach (var (name, value) in outcome.Parameters) Row(html, name, value);
        html.Append("</table>\n</body></html>\n");
        return html.ToString();
    }

    /// <summary>One line: the verdict and what was lost.</summary>
    public static string Verdict(TestOutcome outcome)
    {
        var verdict = outcome.Check.Verdict switch
        {
            Simulation.Linearizability.Verdict.Linearizable => "linearizable",
            Simulation.Linearizability.Verdict.NotLinearizable => $"NOT linearizable (key {outcome.Check.FailingKey ?? "?"})",
            _ => "undecided (the checker's search budget ran out)",
        };
        return $"{verdict}; {outcome.Lost.Count} acknowledged write(s) lost";
    }

    private static string LatencyPlot(TestOutcome outcome)
    {
        var plot = new Plot();
        Shade(plot, outcome);
        foreach (var (name, color) in OutcomeColors)
        {
            var all = outcome.Samples.Where(s => OutcomeName(s) == name).ToArray();
            if (all.Length == 0) continue;
            var every = (all.Length + MaxPoints - 1) / MaxPoints;
            var points = all.Where((_, i) => i % every == 0).ToArray();
            var markers = plot.Add.Markers(
                points.Select(s => (s.InvokeMicros - outcome.StartMicros) / 1e6).ToArray(),
                points.Select(s => s.LatencyMicros / 1e3).ToArray(),
                MarkerShape.FilledCircle, 3, color);
            markers.LegendText = every == 1 ? $"{name} ({all.Length})" : $"{name} ({all.Length}, 1 in {every} drawn)";
        }
        plot.YLabel("latency (ms)");
        plot.XLabel("time since the load started (s)");
        plot.ShowLegend(Alignment.UpperRight);
        return plot.GetSvgXml(Width, Height);
    }

    private static string ThroughputPlot(TestOutcome outcome)
    {
        var plot = new Plot();
        Shade(plot, outcome);
        var perSecond = outcome.Samples.Where(s => s.Outcome != Outcome.Unknown && !s.FinalRead)
            .GroupBy(s => (s.InvokeMicros + s.LatencyMicros - outcome.StartMicros) / 1_000_000)
            .OrderBy(g => g.Key).ToArray();
        if (perSecond.Length > 0)
        {
            var last = perSecond[^1].Key;
            var counts = new double[last + 1];
            foreach (var second in perSecond.Where(g => g.Key >= 0)) counts[second.Key] = second.Count();
            var line = plot.Add.Scatter(Enumerable.Range(0, counts.Length).Select(i => (double)i).ToArray(), counts, Colors.SeaGreen);
            line.MarkerSize = 0;
        }
        plot.YLabel("acknowledged per second");
        plot.XLabel("time since the load started (s)");
        return plot.GetSvgXml(Width, Height);
    }

    // Each fault as a band across the plot in its kind's colour; the legend names each kind once
    // (the table below the plots lists every fault with its silo and times).
    private static void Shade(Plot plot, TestOutcome outcome)
    {
        var named = new HashSet<FaultKind>();
        foreach (var fault in outcome.Faults)
        {
            var span = plot.Add.HorizontalSpan((fault.StartMicros - outcome.StartMicros) / 1e6, (fault.EndMicros - outcome.StartMicros) / 1e6, FaultColor(fault.Kind).WithAlpha(0.18));
            span.LineWidth = 0;
            if (named.Add(fault.Kind)) span.LegendText = fault.Kind.Name();
        }
    }

    private static Color FaultColor(FaultKind kind) => kind switch
    {
        FaultKind.Kill => Colors.Red,
        FaultKind.Pause => Colors.RoyalBlue,
        FaultKind.Restart => Colors.Purple,
        _ => Colors.SaddleBrown,
    };

    private static string OutcomeName(LoadRecorder.Sample sample) => sample switch
    {
        { Rejected: true } => "refused",
        { Outcome: Outcome.Unknown } => "unknown",
        { Outcome: Outcome.Failed } => "cas not applied",
        _ => "ok",
    };

    private static string Seconds(TestOutcome outcome, long micros) =>
        ((micros - outcome.StartMicros) / 1e6).ToString("0.00", CultureInfo.InvariantCulture);

    private static void Row(StringBuilder html, string name, string value) =>
        html.Append("<tr><th>").Append(Encode(name)).Append("</th><td>").Append(Encode(value)).Append("</td></tr>");

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
