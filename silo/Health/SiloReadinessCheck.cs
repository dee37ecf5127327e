using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansNodes.Hosting.Clusters;

namespace OrleansNodes.Silo;

/// <summary>
/// Readiness: the silo is an active member of its cluster, and it can read the cluster
/// definitions from storage (bounded, so a probe never outwaits its own timeout); otherwise
/// Unhealthy, 503. The definitions are read by this silo itself (<see cref="ClusterCatalog"/>),
/// not asked of the one registry grain, so the death of the silo that hosts the registry does not
/// make every other silo unready; storage that does not answer does, since nothing can be served
/// without it.
/// </summary>
public sealed class SiloReadinessCheck(ISiloStatusOracle oracle, ClusterCatalog catalog) : IHealthCheck
{
    private static readonly TimeSpan CallBound = TimeSpan.FromSeconds(3);

    /// <inheritdoc/>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = oracle.CurrentStatus;
        if (status != SiloStatus.Active) return HealthCheckResult.Unhealthy($"the silo is {status}, not Active");
        try
        {
            await catalog.ListAsync().WaitAsync(CallBound, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"the silo is active, but storage did not answer within {CallBound.TotalSeconds:0} s: {exception.Message.Split('\n', 2)[0].Trim()}");
        }
    }
}
