namespace OrleansNodes.Silo.Tests.Telemetry;

/// <summary>
/// <see cref="PromQl.MetricNames"/>, which the dashboard check relies on: a name it missed
/// would never be checked, and a function or label it took for a metric would fail the check.
/// </summary>
public sealed class PromQlTests
{
    [Theory]
    [InlineData("sum by (cluster, node) (rate(a_total{cluster=~\"$cluster\"}[$__rate_interval]))", "a_total")]
    [InlineData("histogram_quantile(0.99, sum by (cluster, le) (rate(b_bucket{name=\"rate(x) {y}\"}[5m])))", "b_bucket")]
    [InlineData("sum(rate(c_sum[1m])) by (le) / on (cluster) group_left sum(rate(c_count[1m:10s])) > bool 1e3", "c_count c_sum")]
    [InlineData("d offset 5m or e{job='f'} unless ignoring (node) g", "d e g")]
    [InlineData("increase(h_total[${interval}]) * 60", "h_total")]
    public void MetricNames_OfAnExpression_AreItsSelectorsNotItsFunctionsLabelsOrVariables(string expression, string names)
    {
        Assert.Equal(names.Split(' '), PromQl.MetricNames(expression).Order());
    }
}
