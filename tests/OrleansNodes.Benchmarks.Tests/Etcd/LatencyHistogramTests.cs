using OrleansNodes.Benchmarks.Etcd;

namespace OrleansNodes.Benchmarks.Tests.Etcd;

public class LatencyHistogramTests
{
    [Fact]
    public void PercentileMs_Nothing_Zero() => Assert.Equal(0, new LatencyHistogram().PercentileMs(0.5));

    [Fact]
    public void PercentileMs_SmallLatencies_Exact()
    {
        var histogram = new LatencyHistogram();
        foreach (var micros in new long[] { 10, 20, 30, 40, 100 }) histogram.Record(micros);

        Assert.Equal(0.03, histogram.PercentileMs(0.50));
        Assert.Equal(0.1, histogram.PercentileMs(0.99));
    }

    [Fact]
    public void PercentileMs_OneToAMillionMicros_NearestRankWithin2Percent()
    {
        var histogram = new LatencyHistogram();
        for (long micros = 1; micros <= 1_000_000; micros++) histogram.Record(micros);

        Assert.InRange(histogram.PercentileMs(0.50), 500.0, 500.0 * 1.02);
        Assert.InRange(histogram.PercentileMs(0.99), 990.0, 990.0 * 1.02);
    }

    [Fact]
    public void Add_TwoSessions_CountsBoth()
    {
        var first = new LatencyHistogram();
        var second = new LatencyHistogram();
        for (var i = 0; i < 99; i++) first.Record(1_000);
        second.Record(50_000);

        first.Add(second);

        Assert.Equal(100, first.Count);
        Assert.InRange(first.PercentileMs(0.99), 1.0, 1.02);
        Assert.InRange(first.PercentileMs(1.0), 50.0, 51.0);
    }
}
