using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OrleansNodes.TestServers;

namespace OrleansNodes.Silo.Tests.Telemetry;

/// <summary>
/// infra/grafana/orleansnodes-dashboard.json against a real silo: every metric its queries name
/// is one the silo exports on <c>GET /metrics</c>, and every query goes to the Prometheus data
/// source chosen when the dashboard is imported.
/// </summary>
public sealed partial class GrafanaDashboardTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);

    // What Prometheus 2.x sends: OpenMetrics first, so the test reads the series Prometheus stores.
    private const string PrometheusAccept = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private const string Redirects = "orleansnodes_gateway_redirects_total";

    [Fact]
    public void Dashboard_EveryPanel_QueriesTheDatasourceVariable()
    {
        var dashboard = Dashboard();
        var variables = dashboard["templating"]!["list"]!.AsArray();
        var datasource = variables.Single(v => (string)v!["name"]! == "datasource")!;
        var cluster = variables.Single(v => (string)v!["name"]! == "cluster")!;
        var panels = Panels(dashboard).ToList();

        Assert.Equal(("datasource", "prometheus"), ((string)datasource["type"]!, (string)datasource["query"]!));
        Assert.True(UsesDatasourceVariable(cluster["datasource"]), "the cluster variable does not query ${datasource}");
        Assert.NotEmpty(panels);
        var ids = dashboard["panels"]!.AsArray().Select(p => (int)p!["id"]!).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        foreach (var panel in panels)
        {
            var title = (string)panel["title"]!;
            var targets = panel["targets"]?.AsArray() ?? [];
            Assert.True(targets.Count > 0, $"panel '{title}' has no target");
            Assert.True(UsesDatasourceVariable(panel["datasource"]), $"panel '{title}' does not query ${{datasource}}");
            foreach (var target in targets)
            {
                Assert.True(UsesDatasourceVariable(target!["datasource"]), $"a target of '{title}' does not query ${{datasource}}");
                Assert.False(string.IsNullOrWhiteSpace((string?)target["expr"]), $"a target of '{title}' has no expression");
            }
        }
    }

    [Fact]
    public async Task Dashboard_EveryMetricItNames_IsExportedByARealSilo()
    {
        var referenced = ReferencedMetricNames(Dashboard());
        using var silo = new SiloProcess([]);
        await silo.StartAsync();
        using var http = new HttpClient { BaseAddress = silo.Url };
        http.DefaultRequestHeaders.TryAddWithoutValidation("Accept", PrometheusAccept);

        for (var i = 0; i < 3; i++)
        {
            var put = await ConsoleProcess.RunAsync(["kv", "put", $"k{i}", "v", "--gateway", silo.Gateway], Generous);
            Assert.True(put.ExitCode == 0, put.Output);
        }
        var families = MetricFamily.Parse(await http.GetStringAsync("metrics"));
        // A redirect needs a request that reaches a node other than the leader, which a new
        // cluster's first request usually does while its nodes are still electing. Seeded
        // clusters, so each run tries the same ones.
        for (var seed = 1; !Exported(families).Contains(Redirects); seed++)
        {
            Assert.True(seed <= 10, $"no redirect in the first requests of {seed - 1} new clusters");
            var create = await ConsoleProcess.RunAsync(["cluster", "create", $"elect{seed}", "--seed", $"{seed}", "--gateway", silo.Gateway], Generous);
            Assert.True(create.ExitCode == 0, create.Output);
            var put = await ConsoleProcess.RunAsync(["kv", "put", "k", "v", "--cluster", $"elect{seed}", "--gateway", silo.Gateway], Generous);
            Assert.True(put.ExitCode == 0, put.Output);
            families = MetricFamily.Parse(await http.GetStringAsync("metrics"));
        }

        var missing = referenced.Except(Exported(families)).Order().ToList();
        var ours = families.Where(f => f.Name.StartsWith("orleansnodes_", StringComparison.Ordinal)).Select(f => $"{f.Type} {f.Name}: {string.Join(", ", f.SeriesNames.Order())}");
        Assert.True(missing.Count == 0, $"the dashboard queries {string.Join(", ", missing)}, which the silo does not export. It exports:\n{string.Join("\n", ours)}");
    }

    private static JsonNode Dashboard() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "infra", "grafana", "orleansnodes-dashboard.json")))!;

    // Rows only group panels (a collapsed row holds its own): they query nothing themselves.
    private static IEnumerable<JsonNode> Panels(JsonNode dashboard) =>
        dashboard["panels"]!.AsArray().Select(p => p!).SelectMany(p => (string?)p["type"] == "row" ? p["panels"]?.AsArray().Select(c => c!) ?? [] : [p]);

    private static bool UsesDatasourceVariable(JsonNode? datasource) =>
        (string?)datasource?["uid"] == "${datasource}" && (string?)datasource?["type"] == "prometheus";

    private static IReadOnlySet<string> Exported(IReadOnlyList<MetricFamily> families) =>
        families.SelectMany(f => f.SeriesNames).ToHashSet();

    /// <summary>The metric names of every panel's queries and of the variables' <c>label_values(selector, label)</c> selectors.</summary>
    private static IReadOnlySet<string> ReferencedMetricNames(JsonNode dashboard)
    {
        var expressions = Panels(dashboard).SelectMany(p => p["targets"]!.AsArray()).Select(t => (string)t!["expr"]!);
        var selectors = dashboard["templating"]!["list"]!.AsArray()
            .Where(v => (string?)v!["type"] == "query")
            .Select(v => LabelValues().Match((string)v!["query"]!))
            .Where(match => match.Success)
            .Select(match => match.Groups["selector"].Value);
        return expressions.Concat(selectors).SelectMany(PromQl.MetricNames).ToHashSet();
    }

    [GeneratedRegex(@"^label_values\((?<selector>.+),\s*\w+\)$")]
    private static partial Regex LabelValues();
}
