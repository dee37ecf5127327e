using Microsoft.Playwright;
using OrleansNodes.Simulation.Counterexamples;
using OrleansNodes.Simulation.Tests.Toys;
using OrleansNodes.TestServers;
using static Microsoft.Playwright.Assertions;

namespace OrleansNodes.Simulation.Tests.Counterexamples;

/// <summary>
/// The viewer's page opened from disk in a real headless Chromium and read as a person reads it:
/// the lanes, the arrows, the violation marker, the panel after a click. Every wait is
/// Playwright's polling of a condition on the page; <see cref="Generous"/> only bounds a hang.
/// </summary>
public sealed class CounterexampleViewerPageTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"viewer-tests-{Environment.ProcessId}-{Guid.NewGuid():N}");

    static CounterexampleViewerPageTests() => SetDefaultExpectTimeout((float)Generous.TotalMilliseconds);

    public CounterexampleViewerPageTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => TempFolder.TryDelete(_folder);

    [ChromiumFact]
    public async Task Page_OutOfOrderRelay_ALanePerNodeAnArrowPerDeliveryAndTheViolationMarker()
    {
        var counterexample = Simulator.Create(new Relay(), Unit.Value).Explain(ExplainTests.OutOfOrder());
        await using var chromium = await SystemChromium.LaunchAsync();
        var page = await OpenAsync(chromium, counterexample);

        await Expect(page.Locator(".lane-head")).ToHaveTextAsync(["n0", "n1"]);
        var deliveries = counterexample.Events.Count(e => e.Outcome == TraceOutcome.Delivered && e.Kind == DecisionKind.Deliver);
        Assert.Equal(2, deliveries);
        await Expect(page.Locator("g.msg.delivered")).ToHaveCountAsync(deliveries);
        await Expect(page.Locator("g.msg.dropped")).ToHaveCountAsync(1);
        await Expect(page.Locator("text.glyph-label.delay")).ToHaveTextAsync(["⧖ +2 →n1", "⧖ +1 →n1"]); // 1 and 2 are held back
        await Expect(page.Locator("#violation")).ToContainTextAsync("Always 'received in order' violated");
        await Expect(page.Locator("#verdict")).ToContainTextAsync("received in order");
        // The violating decision's row is marked too, and it is the last row.
        await Expect(page.Locator(".row-hit.violating")).ToHaveAttributeAsync("data-row", (counterexample.Events.Length - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [ChromiumFact]
    public async Task Page_ClickADeliveryRow_PanelShowsTheChangedFieldsBeforeAndAfter()
    {
        var counterexample = Simulator.Create(new Relay(), Unit.Value).Explain(ExplainTests.OutOfOrder());
        var row = counterexample.Events.IndexOf(counterexample.Events.Single(e => e.Label == "deliver n0->n1 #3"));
        await using var chromium = await SystemChromium.LaunchAsync();
        var page = await OpenAsync(chromium, counterexample);

        await page.Locator($".row-hit[data-row='{row}']").ClickAsync();

        var panel = page.Locator("#panel");
        await Expect(panel.Locator("h2")).ToContainTextAsync("Decision " + (row + 1));
        await Expect(panel).ToContainTextAsync("deliver n0->n1 #3");
        await Expect(panel.Locator(".badge.Delivered")).ToHaveTextAsync("delivered");
        var last = panel.Locator("tr.change", new() { Has = page.Locator("td.path", new() { HasTextString = "last" }) });
        await Expect(last.Locator(".before")).ToHaveTextAsync("0");
        await Expect(last.Locator(".after")).ToHaveTextAsync("3");
        await Expect(panel.Locator("pre").First).ToHaveTextAsync("Number { Value = 3 }");
        await Expect(page.Locator($".row-hit.selected")).ToHaveAttributeAsync("data-row", row.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [ChromiumFact]
    public async Task Page_WorkARoundOwedAndARest_ShownAsStepsOfTheirOwn()
    {
        // The schedule never names n1's ticks (its rounds owe them); with skew, n1 rests in round 0.
        var plain = ExplainTests.OutOfOrder();
        var resting = plain with
        {
            Options = plain.Options with { Faults = plain.Options.Faults | FaultKinds.Skew },
            Decisions = [Decision.Parse("rest n1"), .. plain.Decisions],
        };
        var relay = Simulator.Create(new Relay(), Unit.Value);
        var owedTicks = relay.Explain(plain);
        var rested = relay.Explain(resting);
        var owed = owedTicks.Events.IndexOf(owedTicks.Events.First(e => e.Owed));
        await using var chromium = await SystemChromium.LaunchAsync();

        var page = await OpenAsync(chromium, owedTicks);
        await page.Locator($".row-hit[data-row='{owed}']").ClickAsync();
        await Expect(page.Locator("#panel")).ToContainTextAsync("tick n1");
        await Expect(page.Locator("#panel")).ToContainTextAsync("(owed by the round at line 2 of the schedule)");

        var restPage = await OpenAsync(chromium, rested);
        await Expect(restPage.Locator("circle.glyph-rest")).ToHaveCountAsync(1);
        Assert.DoesNotContain(rested.Events, e => e.Owed && e.Label == "tick n1" && e.Round == 0);
    }

    [ChromiumFact]
    public async Task Page_NextPastTheLastRow_SelectsTheViolation()
    {
        var counterexample = Simulator.Create(new Relay(), Unit.Value).Explain(ExplainTests.OutOfOrder());
        await using var chromium = await SystemChromium.LaunchAsync();
        var page = await OpenAsync(chromium, counterexample);

        await page.Locator($".row-hit[data-row='{counterexample.Events.Length - 1}']").ClickAsync();
        await page.Locator("#next").ClickAsync();

        await Expect(page.Locator("#panel .violation-box")).ToContainTextAsync("Always 'received in order' violated");
        await Expect(page.Locator("#violation")).ToHaveClassAsync("selected");
        await Expect(page.Locator("#panel")).ToContainTextAsync("States at the end");
        await Expect(page.Locator("#panel pre.states").First).ToContainTextAsync("OutOfOrder = True");
    }

    [ChromiumFact]
    public async Task Page_Clients_ALanePerClientWithRequestAndReplyArrows()
    {
        var sim = Simulator.Create(new Relay(), Unit.Value)
            .WithWorkload(setup => new Clients(setup, clients: 2, operations: 2, timeoutRounds: 50, failWith: "the clients disagree"));
        var options = SimulationOptions.Default with { Nodes = 3, Steps = 300, SaveSchedule = false, Shrink = false, Order = DeliveryOrder.Fifo };
        var counterexample = sim.Explain(sim.Run(3, options).Violation!.Schedule);
        await using var chromium = await SystemChromium.LaunchAsync();
        var page = await OpenAsync(chromium, counterexample);

        await Expect(page.Locator(".lane-head.client")).ToHaveTextAsync(["c0", "c1"]);
        await Expect(page.Locator(".lane-head.node")).ToHaveTextAsync(["n0", "n1", "n2"]);
        await Expect(page.Locator("g.req")).ToHaveCountAsync(counterexample.Events.Count(e => e.Kind == DecisionKind.Request));
        await Expect(page.Locator("g.reply")).ToHaveCountAsync(counterexample.Events.Sum(e => e.Replies.Length));
        await Expect(page.Locator("#violation")).ToContainTextAsync("'workload' violated: the clients disagree");
    }

    [ChromiumFact]
    public async Task Page_MessageHoldingAScriptTag_ShownAsTextNotRun()
    {
        const string Hostile = "</script><script>document.body.dataset.injected = 'yes'</script><b>bold?</b>";
        var counterexample = Simulator.Create(new Relay(), Unit.Value).Explain(ExplainTests.OutOfOrder());
        var events = counterexample.Events.Select(e => e.Kind == DecisionKind.Deliver ? e with { Message = Hostile } : e).ToImmutableArray();
        await using var chromium = await SystemChromium.LaunchAsync();
        var page = await OpenAsync(chromium, counterexample with { Events = events });

        await page.Locator($".row-hit[data-row='{events.Length - 1}']").ClickAsync();

        await Expect(page.Locator("#panel pre").First).ToHaveTextAsync(Hostile);
        await Expect(page.Locator("body")).Not.ToHaveAttributeAsync("data-injected", "yes");
        await Expect(page.Locator("#panel b")).Not.ToHaveTextAsync("bold?");
    }

    [ChromiumFact]
    public async Task Page_ThousandsOfDecisions_DrawsAWindowAndJumpsToTheViolation()
    {
        // The workload fails the run at its end, so the schedule is the whole run.
        var sim = Simulator.Create(new Relay(), Unit.Value)
            .WithWorkload(setup => new Clients(setup, clients: 2, operations: 20, timeoutRounds: 50, failWith: "the clients disagree"));
        var options = SimulationOptions.Default with { Nodes = 3, Steps = 3_000, SaveSchedule = false, Shrink = false, Order = DeliveryOrder.Fifo, Faults = FaultKinds.Drop | FaultKinds.Partition | FaultKinds.Crash };
        var counterexample = sim.Explain(sim.Run(5, options).Violation!.Schedule);
        Assert.InRange(counterexample.Events.Length, 2_000, 100_000);
        await using var chromium = await SystemChromium.LaunchAsync();
        var page = await OpenAsync(chromium, counterexample);

        await Expect(page.Locator("#title")).ToContainTextAsync($"{counterexample.Events.Length} decisions");
        var drawn = await page.Locator(".row-hit").CountAsync();
        Assert.InRange(drawn, 1, counterexample.Events.Length / 2);

        await page.Locator("#to-violation").ClickAsync();

        // It failed at the end of the run, after every decision: the marker below the last row.
        await Expect(page.Locator("#violation")).ToBeInViewportAsync();
        await Expect(page.Locator("#violation")).ToHaveClassAsync("selected");
        await Expect(page.Locator($".row-hit[data-row='{counterexample.Events.Length - 1}']")).ToBeVisibleAsync();
        await Expect(page.Locator("#panel .violation-box")).ToContainTextAsync("the clients disagree");
    }

    private async Task<IPage> OpenAsync(SystemChromium chromium, Counterexample counterexample)
    {
        var path = Path.Combine(_folder, $"counterexample-{Guid.NewGuid():N}.html");
        await File.WriteAllTextAsync(path, CounterexampleViewer.Render(counterexample));
        var page = await chromium.OpenAsync(new Uri(path));
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-ready", "true");
        return page;
    }
}
