using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Runtime;
using Orleans.Runtime.Services;

namespace OrleansNodes.Hosting.Placement;

/// <summary>The silo's <see cref="ISiloProbe"/>: a grain service, so each silo has one, addressable by its silo address.</summary>
[Reentrant]
internal sealed class SiloProbe(GrainId id, Silo silo, ILoggerFactory loggers) : GrainService(id, silo, loggers), ISiloProbe
{
    /// <inheritdoc/>
    public Task Ping() => Task.CompletedTask;
}

/// <summary>Reaches the <see cref="ISiloProbe"/> of a given silo.</summary>
internal sealed class SiloProbeClient(IServiceProvider services) : GrainServiceClient<ISiloProbe>(services)
{
    /// <summary>The probe on <paramref name="silo"/>.</summary>
    public ISiloProbe On(SiloAddress silo) => GetGrainService(silo);
}
