using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OrleansNodes.Silo.Tests.Cluster;
using OrleansNodes.TestServers;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace OrleansNodes.Silo.Tests.ProtocolPage;

/// <summary>
/// The protocol page (<c>/protocol/</c>) in a real headless Chromium against real silo
/// processes, read as a person reads it: the cluster's section, its rows, the highlighted leader,
/// the greyed node that does not answer, the error line. Every wait is Playwright's polling of a
/// condition on the page; <see cref="Generous"/> only bounds a hang. The class shares the cluster
/// tests' collection: a browser beside three silos is this machine's heaviest load, so they take
/// turns.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class ProtocolPageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);

    static ProtocolPageTests() => SetDefaultExpectTimeout((float)Generous.TotalMilliseconds);

    [ChromiumFact]
    public async Task Page_AfterAPut_ShowsKvWithThreeNodesOneLeaderThatAppliedItAndTheirSilos()
    {
        using var silo = new SiloProcess([]);
        await silo.StartAsync();
        var put = await ConsoleProcess.RunAsync(["kv", "put", "page", "seen", "--gateway", silo.Gateway], Generous);
        Assert.True(put.ExitCode == 0, put.Output);

        await using var chromium = await SystemChromium.LaunchAsync();
        // Without the slash, as a person types it: the silo redirects to the page.
        var page = await chromium.OpenAsync(new Uri(silo.Url, "protocol"));
        await ExplainFailureAsync(page, () => silo.Process.Tail(), async () =>
        {
            Assert.EndsWith("/protocol/", page.Url, StringComparison.Ordinal);
            var kv = Cluster(page, "kv");
            await Expect(kv.Rows).ToHaveCountAsync(3);
            await Expect(kv.LeaderRows).ToHaveCountAsync(1);

            await Expect(await kv.CellAsync(kv.LeaderRows, "role")).ToHaveTextAsync("leader");
            await Expect(await kv.CellAsync(kv.LeaderRows, "applied")).ToHaveTextAsync(PositiveNumber());
            var leader = await (await kv.CellAsync(kv.LeaderRows, "node")).TextContentAsync() ?? "";
            await Expect(kv.Summary).ToContainTextAsync($"leader {leader}");
            // One silo hosts every node, and each row names it.
            await Expect(await kv.CellAsync(kv.Rows, "silo")).ToHaveTextAsync(Enumerable.Repeat(SiloText(silo), 3));
            await Expect(await kv.CellAsync(kv.Rows, "state")).ToHaveTextAsync(Enumerable.Repeat("running", 3));
            await Expect(page.GetByRole(AriaRole.Alert)).ToBeHiddenAsync();
            await Expect(page.GetByText("Last updated")).ToBeVisibleAsync();
        });
    }

    [ChromiumRedisFact]
    public async Task Page_LeaderSiloKilled_ShowsItsNodeNotAnsweringOrANewLeaderOnALiveSilo()
    {
        var redis = new RedisServer();
        await redis.InitializeAsync();
        try
        {
            using var group = await SiloGroup.StartAsync(3, ["--storage", "redis", "--redis", redis.ConnectionString]);
            await group.WaitForSpreadAsync(Generous);
            await using var chromium = await SystemChromium.LaunchAsync();
            var page = await chromium.OpenAsync(new Uri(group.Silos[0].Url, "protocol/"));
            await ExplainFailureAsync(page, () => group.Tails(), async () =>
            {
                var kv = Cluster(page, "kv");
                // The page says where the leader runs; the page is then watched on another silo.
                var (leader, victim) = await LeaderAsync(kv, group);
                if (victim == group.Silos[0])
                {
                    await page.GotoAsync(new Uri(group.Silos[1].Url, "protocol/").ToString());
                    (leader, victim) = await LeaderAsync(kv, group);
                }
                output.WriteLine($"killing the silo on port {victim.SiloPort}, which hosts the leader {leader}");
                victim.Kill();

                var deadSilo = SiloPrefix(victim);
                var leaderNotAnswering = kv.Rows.Filter(new() { HasText = "not answering" })
                    .Filter(new() { Has = page.Locator("td:first-child", new() { HasTextString = leader }) });
                var leaderOnALiveSilo = kv.LeaderRows.Filter(new() { HasNotText = deadSilo });
                await Expect(leaderNotAnswering.Or(leaderOnALiveSilo).First).ToBeVisibleAsync();
                output.WriteLine(await leaderNotAnswering.CountAsync() > 0
                    ? $"the page showed {leader} not answering: {await leaderNotAnswering.First.TextContentAsync()}"
                    : $"the page showed a new leader first: {await leaderOnALiveSilo.First.TextContentAsync()}");
                // The two surviving replicas are a majority: a leader on a live silo always follows.
                await Expect(leaderOnALiveSilo.First).ToBeVisibleAsync();
                output.WriteLine($"the page showed a leader on a live silo: {await leaderOnALiveSilo.First.TextContentAsync()}");
            });
        }
        finally
        {
            await redis.DisposeAsync();
        }
    }

    [ChromiumFact]
    public async Task Page_SiloGone_ShowsAnErrorLineAndKeepsTheLastRows()
    {
        using var silo = new SiloProcess([]);
        await silo.StartAsync();
        await using var chromium = await SystemChromium.LaunchAsync();
        var page = await chromium.OpenAsync(new Uri(silo.Url, "protocol/"));
        await ExplainFailureAsync(page, () => silo.Process.Tail(), async () =>
        {
            var kv = Cluster(page, "kv");
            await Expect(kv.Rows).ToHaveCountAsync(3);
            await Expect(page.GetByRole(AriaRole.Alert)).ToBeHiddenAsync();

            silo.Kill();
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Cannot read the status: the silo is unreachable.");
            await Expect(kv.Rows).ToHaveCountAsync(3);
            await Expect(await kv.CellAsync(kv.Rows, "silo")).ToHaveTextAsync(Enumerable.Repeat(SiloText(silo), 3));
        });
    }

    [ChromiumFact]
    public async Task Page_OffLoopbackWithCredentials_ReadsTheStatusWithTheCredentialsTheBrowserHolds()
    {
        const string username = "operator", password = "page password";
        using var silo = new SiloProcess(
            s => ["--url", $"http://0.0.0.0:{s.Url.Port}"],
            new Dictionary<string, string> { ["ORLEANSNODES__DASHBOARD__USERNAME"] = username, ["ORLEANSNODES__DASHBOARD__PASSWORD"] = password });
        await silo.StartAsync(authorization: new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{username}:{password}"))));
        await using var chromium = await SystemChromium.LaunchAsync();
        var page = await chromium.OpenAsync(new Uri(silo.Url, "protocol/"), new() { Username = username, Password = password });
        await ExplainFailureAsync(page, () => silo.Process.Tail(), async () =>
        {
            var kv = Cluster(page, "kv");
            await Expect(kv.Rows).ToHaveCountAsync(3);
            await Expect(page.GetByRole(AriaRole.Alert)).ToBeHiddenAsync();
        });
    }

    // A cluster's section on the page, found by its heading as a screen reader finds it.
    private static ClusterOnPage Cluster(IPage page, string name) => new(page.GetByRole(AriaRole.Region, new() { Name = name, Exact = true }));

    // Waits for the page to show one leader; its node and the group's silo its row names, read
    // from one drawing of the row.
    private static async Task<(string Node, SiloProcess Silo)> LeaderAsync(ClusterOnPage cluster, SiloGroup group)
    {
        await Expect(cluster.Rows).ToHaveCountAsync(3);
        await Expect(cluster.LeaderRows).ToHaveCountAsync(1);
        var cells = await cluster.LeaderRows.Locator("td").AllTextContentsAsync();
        var node = cells[await cluster.ColumnAsync("node")];
        var silo = cells[await cluster.ColumnAsync("silo")];
        return (node, group.Silos.Single(s => silo.StartsWith(SiloPrefix(s), StringComparison.Ordinal)));
    }

    // How the page names a silo: HOST:PORT@GENERATION, the generation changing with each start.
    private static string SiloPrefix(SiloProcess silo) => $"127.0.0.1:{silo.SiloPort}@";

    private static Regex SiloText(SiloProcess silo) => new($"^{Regex.Escape(SiloPrefix(silo))}[0-9]+$");

    private static async Task ExplainFailureAsync(IPage page, Func<string> tails, Func<Task> steps)
    {
        try
        {
            await steps();
        }
        catch (PlaywrightException exception)
        {
            var shown = await page.InnerTextAsync("body", new() { Timeout = 5000 });
            throw new TimeoutException($"{exception.Message}\n--- the page showed:\n{shown}\n{tails()}", exception);
        }
    }

    [GeneratedRegex(@"^[1-9][0-9]*$")]
    private static partial Regex PositiveNumber();

    private sealed record ClusterOnPage(ILocator Section)
    {
        public ILocator Rows => Section.Locator("tbody tr");

        public ILocator LeaderRows => Section.Locator("tbody tr.leader");

        public ILocator Summary => Section.Locator(".summary");

        // The cells of a column of these rows, found by the column's heading.
        public async Task<ILocator> CellAsync(ILocator rows, string heading) =>
            rows.Locator($"td:nth-child({await ColumnAsync(heading) + 1})");

        // A column's place (from 0), found by its heading.
        public async Task<int> ColumnAsync(string heading)
        {
            var headings = await Section.Locator("thead th").AllTextContentsAsync();
            var index = headings.ToList().IndexOf(heading);
            Assert.True(index >= 0, $"no column '{heading}' among {string.Join(", ", headings)}");
            return index;
        }
    }
}
