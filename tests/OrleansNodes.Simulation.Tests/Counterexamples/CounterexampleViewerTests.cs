using System.Text.RegularExpressions;
using OrleansNodes.Simulation.Counterexamples;
using OrleansNodes.Simulation.Tests.Toys;

namespace OrleansNodes.Simulation.Tests.Counterexamples;

public class CounterexampleViewerTests
{
    [Fact]
    public void Render_AnyCounterexample_OnePageWithNothingToFetch()
    {
        var html = CounterexampleViewer.Render(Simulator.Create(new Relay(), Unit.Value).Explain(ExplainTests.OutOfOrder()));

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.DoesNotMatch(new Regex(@"\b(src|href)\s*=", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_MessageHoldingScriptEnd_DataBlockStaysClosed()
    {
        var counterexample = Simulator.Create(new Relay(), Unit.Value).Explain(ExplainTests.OutOfOrder());
        var events = counterexample.Events.Select(e => e with { Message = "</script><!-- {{DATA}} & <b>" }).ToImmutableArray();

        var html = CounterexampleViewer.Render(counterexample with { Events = events, Protocol = "<relay>" });

        // The page's own two script blocks end, and nothing else does.
        Assert.Equal(2, Regex.Matches(html, "</script", RegexOptions.IgnoreCase).Count);
        Assert.DoesNotContain("<!--", html, StringComparison.Ordinal);
        Assert.Contains("<title>&lt;relay&gt;", html, StringComparison.Ordinal);
    }
}
