using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansNodes.Hosting.Clients;

namespace OrleansNodes.Silo;

/// <summary>
/// Readiness: the silo is an active member of its cluster (else Unhealthy, 503). It also asks
/// the cluster registry for its list, bounded so a probe never outwaits its own timeout; when
/// that call fails the answer is Degraded (still 200). The registry is one grain for the whole
/// cluster: after the silo hosting it dies, it answers nobody until membership declares that
/// silo dead, and failing readiness on it would take every silo out of its Service at once.
/// </summary>
public sealed class SiloReadinessCheck(ISiloStatusOracle oracle, IGrainFactory grains) : IHealthCheck
{
    private static readonly TimeSpan CallBound = TimeSpan.FromSeconds(3);

    /// <inheritdoc/>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = oracle.CurrentStatus;
        if (status != SiloStatus.Active) return HealthCheckResult.Unhealthy($"the silo is {status}, not Active");
        try
        {
            await new NodesClient(grains).ListClustersAsync().WaitAsync(CallBound, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Degraded("the silo is active, but the cluster registry did not answer", exception);
        }
    }
}
