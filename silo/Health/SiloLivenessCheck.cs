using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrleansNodes.Silo;

/// <summary>
/// Liveness: unhealthy once the silo is shutting down, stopping or declared dead (a restart is
/// then the cure), healthy otherwise. A silo still joining is alive: a slow join under load
/// must not get the pod killed and the join started over.
/// </summary>
public sealed class SiloLivenessCheck(ISiloStatusOracle oracle) : IHealthCheck
{
    /// <inheritdoc/>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = oracle.CurrentStatus;
        return Task.FromResult(status.IsTerminating()
            ? HealthCheckResult.Unhealthy($"the silo is {status}")
            : HealthCheckResult.Healthy($"the silo is {status}"));
    }
}
