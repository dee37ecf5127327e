using Orleans.Services;

namespace OrleansNodes.Hosting.Placement;

/// <summary>
/// Answers a ping on every silo: how <see cref="PlacementKeeper"/> learns, within a second, that
/// a silo is gone or frozen, long before membership votes it dead.
/// </summary>
[Alias("on.hosting.ISiloProbe")]
public interface ISiloProbe : IGrainService
{
    /// <summary>Returns at once; an answer proves the silo is running its scheduler.</summary>
    [Alias("Ping")]
    Task Ping();
}
