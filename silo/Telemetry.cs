using OpenTelemetry.Metrics;
using OrleansNodes.Hosting.Telemetry;

namespace OrleansNodes.Silo;

/// <summary>
/// Metrics: the protocol's (<see cref="NodeMetrics"/>), the .NET runtime's and Orleans' own meters, exported with
/// OpenTelemetry for Prometheus on <c>GET /metrics</c> (same port and rules as the dashboard:
/// loopback, or credentials elsewhere) and, when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, to
/// an OTLP collector as well.
/// </summary>
public static class Telemetry
{
    /// <summary>Orleans' meter.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>
    /// The .NET runtime's own meter: garbage collections and pauses, the thread pool's queue,
    /// lock contention, JIT compilation, process CPU time. Its instruments are observed only when
    /// scraped, so they cost nothing between scrapes.
    /// </summary>
    public const string RuntimeMeter = "System.Runtime";

    /// <summary>The scrape path.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>Registers the meters and exporters, unless <see cref="HostSettings.Metrics"/> is off.</summary>
    public static void AddSiloTelemetry(this WebApplicationBuilder builder, HostSettings settings)
    {
        if (!settings.Metrics) return;
        builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(NodeMetrics.MeterName, RuntimeMeter);
            // Orleans measures every message and call once its meter has a listener: 5-20 % of
            // puts/s on this machine (docs/BENCHMARKS.md, "Metrics"), so it is asked for by name.
            if (settings.OrleansMetrics) metrics.AddMeter(OrleansMeter);
            metrics.AddPrometheusExporter();
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"))) metrics.AddOtlpExporter();
        });
    }

    /// <summary>Maps <see cref="MetricsPath"/>, unless <see cref="HostSettings.Metrics"/> is off.</summary>
    public static void MapMetrics(this WebApplication app, HostSettings settings)
    {
        if (settings.Metrics) app.MapPrometheusScrapingEndpoint(MetricsPath);
    }
}
