using OrleansNodes.Client.Load;
using OrleansNodes.Client.Testing;
using OrleansNodes.Core;
using OrleansNodes.Simulation.Linearizability;

namespace OrleansNodes.Client.Tests.Testing;

/// <summary>The report of <c>orleansnodes test</c> from a known run: what it says and what it measures.</summary>
public sealed class TestReportTests
{
    private const long Start = 1_000_000;

    // Client 0 writes a then b; client 1's final read still sees a: b is lost, and the history cannot be ordered.
    private static readonly Operation[] Stale =
    [
        new(0, new ClientId(0), Command.Put("k", "a"), Start + 100, Start + 200, OperationResult.Ok),
        new(1, new ClientId(0), Command.Put("k", "b"), Start + 300, Start + 400, OperationResult.Ok),
        new(2, new ClientId(1), Command.Get("k"), Start + 500, Start + 600, OperationResult.Read("a")),
    ];

    private static LoadRecorder.Sample Write(double atSeconds, Outcome outcome = Simulation.Linearizability.Outcome.Ok) =>
        new(OperationKind.Put, outcome, Start + (long)(atSeconds * 1e6), 1_000, FinalRead: false, Rejected: false);

    private static TestOutcome Run(Operation[] operations, LoadRecorder.Sample[] samples, FaultWindow[] faults)
    {
        var history = new History(operations);
        return new TestOutcome([("load", "a test")], Start, samples, faults, LinearizabilityChecker.Check(history, KeyValueModel.Instance), LostWrites.Find(history, loadClients: 1), history.Count);
    }

    [Fact]
    public void Html_StaleFinalRead_SaysNotLinearizableWithTheCheckersOperationsAndTheLostWrite()
    {
        var outcome = Run(Stale, [Write(0.1), Write(0.3)], []);

        var html = TestReport.Html(outcome);

        Assert.False(outcome.Passed);
        Assert.Contains("<span class=\"fail\">failed</span>", html);
        Assert.Contains("NOT linearizable (key k); 1 acknowledged write(s) lost", html);
        Assert.Contains("<pre id=\"explanation\">", html);
        Assert.Contains("<pre id=\"lost\">put k &quot;b&quot;", html);
        Assert.Equal(2, html.Split("<svg").Length - 1);
    }

    [Fact]
    public void LongestWriteGaps_FaultThatStopsWrites_TheGapFromItsStartUntilWritesResume()
    {
        // Writes every 0.1 s until 2.0, none while the fault lasts (2.05 to 3.0), then from 3.5 on.
        var samples = Enumerable.Range(0, 21).Select(i => Write(i / 10.0))
            .Concat(Enumerable.Range(35, 10).Select(i => Write(i / 10.0)))
            .ToArray();
        var fault = new FaultWindow(FaultKind.Kill, 1, Start + 2_050_000, Start + 3_000_000);

        var (_, seconds) = Assert.Single(Run([], samples, [fault]).LongestWriteGaps());

        // The first write after the fault completes at 3.5 s + 1 ms; the fault began at 2.05 s.
        Assert.Equal(1.451, seconds, precision: 3);
    }

    [Fact]
    public void LongestWriteGaps_FaultThatWritesRideThrough_OnlyTheUsualGaps()
    {
        var samples = Enumerable.Range(0, 50).Select(i => Write(i / 10.0)).ToArray();
        var fault = new FaultWindow(FaultKind.Pause, 2, Start + 2_050_000, Start + 3_000_000);

        var (_, seconds) = Assert.Single(Run([], samples, [fault]).LongestWriteGaps());

        Assert.True(seconds <= 0.1 + 1e-9, $"{seconds} s");
    }
}
