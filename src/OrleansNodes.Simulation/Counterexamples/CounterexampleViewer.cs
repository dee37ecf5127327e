using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace OrleansNodes.Simulation.Counterexamples;

/// <summary>
/// Draws a <see cref="Counterexample"/> as one self-contained HTML page: a sequence diagram with a
/// lane per client and per node and a row per decision, messages as arrows from the flush that
/// released them to the decision that delivered, dropped, duplicated or lost them, the violation
/// at the end, and a panel with the selected decision's state changes. Styles, script and data are
/// inline: the file opens from disk with no network.
/// </summary>
/// <example>
/// <code>
/// var counterexample = simulation.Explain(violation.Schedule);
/// File.WriteAllText("counterexample.html", CounterexampleViewer.Render(counterexample));
/// </code>
/// </example>
public static partial class CounterexampleViewer
{
    private static readonly JsonSerializerOptions _json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },

        // The default encoder writes '<', '>' and '&' as \u003C..., so no text from a trace
        // (a message holding "</script>") can end the data block early.
        Encoder = JavaScriptEncoder.Default,
    };

    private static readonly Lazy<(string Page, string Style, string Script)> _template = new(() =>
        (Resource("Viewer.html"), Resource("Viewer.css"), Resource("Viewer.js")));

    /// <summary>The page for <paramref name="counterexample"/>.</summary>
    public static string Render(Counterexample counterexample)
    {
        ArgumentNullException.ThrowIfNull(counterexample);
        var data = JsonSerializer.Serialize(
            new
            {
                protocol = counterexample.Protocol,

                // As text: a seed above 2^53 would lose digits as a JavaScript number.
                seed = counterexample.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
                nodes = counterexample.Nodes,
                clients = counterexample.Clients,
                initialStates = counterexample.InitialStates,
                finalStates = counterexample.FinalStates,
                events = counterexample.Events,
                violation = counterexample.Violation,
                skippedDecisions = counterexample.SkippedDecisions,
                source = counterexample.Source,
            },
            _json);
        var title = counterexample.Violation is { } v
            ? $"{counterexample.Protocol}: '{v.Property}' violated (seed {counterexample.Seed})"
            : $"{counterexample.Protocol}: seed {counterexample.Seed}";
        var (page, style, script) = _template.Value;

        // One pass, so nothing substituted is itself searched for placeholders.
        return Placeholder().Replace(page, match => match.Groups[1].Value switch
        {
            "TITLE" => WebUtility.HtmlEncode(title),
            "STYLE" => style,
            "SCRIPT" => script,
            _ => data,
        });
    }

    [GeneratedRegex(@"\{\{(TITLE|STYLE|SCRIPT|DATA)\}\}")]
    private static partial Regex Placeholder();

    private static string Resource(string name)
    {
        var assembly = typeof(CounterexampleViewer).Assembly;
        using var stream = assembly.GetManifestResourceStream("OrleansNodes.Simulation.Counterexamples." + name)
            ?? throw new InvalidOperationException($"the viewer's resource {name} is missing from {assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
