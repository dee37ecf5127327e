using OrleansNodes.Benchmarks.Etcd;

namespace OrleansNodes.Benchmarks.Tests.Etcd;

public class StoreDeploymentTests
{
    private const string Scrape = """
        # TYPE dotnet_jit_compilation_time_seconds_total_extra counter
        dotnet_jit_compilation_time_seconds_total_extra{otel_scope_name="System.Runtime"} 99
        # TYPE dotnet_jit_compilation_time_seconds_total counter
        dotnet_jit_compilation_time_seconds_total{otel_scope_name="System.Runtime"} 1.5192246
        dotnet_jit_compiled_methods_total 10692
        """;

    [Fact]
    public void MetricValue_WithLabels_TheSamplesValueNotALongerNamesOrAComments()
    {
        Assert.Equal(1.5192246, StoreDeployment.MetricValue(Scrape, "dotnet_jit_compilation_time_seconds_total"));
    }

    [Fact]
    public void MetricValue_WithoutLabels_TheSamplesValue()
    {
        Assert.Equal(10692, StoreDeployment.MetricValue(Scrape, "dotnet_jit_compiled_methods_total"));
    }

    [Fact]
    public void MetricValue_Absent_Null()
    {
        Assert.Null(StoreDeployment.MetricValue(Scrape, "dotnet_gc_collections_total"));
    }

    [Fact]
    public void Warmup_Describes_RoundsTimeAndTheLastRoundsJitShare()
    {
        Assert.Equal("4 round(s), 83 s, JIT 1.3 % of the last", new Warmup(4, TimeSpan.FromSeconds(83.4), 0.0126).ToString());
    }
}
