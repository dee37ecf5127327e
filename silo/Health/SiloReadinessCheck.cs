using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansNodes.Hosting.Clients;

namespace OrleansNodes.Silo;

/// <summary>
/// Readiness: the silo is an active member of its cluster and a grain call through it is
/// answered — the cluster registry's list, which every console command starts with and which
/// needs the registry's storage. Bounded, so a probe never outwaits its own timeout.
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
            return HealthCheckResult.Unhealthy("the cluster registry did not answer", exception);
        }
    }
}
