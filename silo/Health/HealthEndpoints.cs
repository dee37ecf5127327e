using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrleansNodes.Silo;

/// <summary>
/// <c>GET /healthz/live</c> and <c>GET /healthz/ready</c>, for Kubernetes probes and load
/// balancers: plain text <c>Healthy</c> with 200, or <c>Unhealthy</c> with 503. Always
/// anonymous (<see cref="DashboardAuthentication"/> lets them through): a probe carries no
/// credentials, and the answer reveals nothing but the word.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>Liveness: the silo process is not dead or stopping.</summary>
    public const string LivePath = "/healthz/live";

    /// <summary>Readiness: the silo is an active member and reads the cluster definitions from storage (<see cref="SiloReadinessCheck"/>).</summary>
    public const string ReadyPath = "/healthz/ready";

    private const string LiveTag = "live";
    private const string ReadyTag = "ready";

    /// <summary>Registers the checks behind the endpoints.</summary>
    public static IServiceCollection AddSiloHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<SiloLivenessCheck>("silo-live", tags: [LiveTag])
            .AddCheck<SiloReadinessCheck>("silo-ready", tags: [ReadyTag]);
        return services;
    }

    /// <summary>Whether <paramref name="path"/> is one of the two (anonymous) health endpoints.</summary>
    public static bool IsHealthPath(PathString path) =>
        path.Equals(LivePath, StringComparison.OrdinalIgnoreCase) || path.Equals(ReadyPath, StringComparison.OrdinalIgnoreCase);

    /// <summary>Maps the endpoints.</summary>
    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) });
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
    }
}
