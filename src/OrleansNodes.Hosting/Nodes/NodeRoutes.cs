using Microsoft.Extensions.DependencyInjection;
using Orleans.GrainDirectory;

namespace OrleansNodes.Hosting.Nodes;

/// <summary>
/// This silo's cached addresses of nodes, and a way to forget one that stopped answering, so
/// that the next call looks the node up in its directory instead of following the old address.
/// </summary>
/// <remarks>
/// Orleans corrects a silo's cached address of a grain that moved only through answers to the
/// calls that took the old address, and only while the old silo forwards them: once that silo
/// freezes or dies, its calls hang until membership declares it dead (tens of seconds with
/// Orleans' defaults), though the node is alive elsewhere. The silo's locator for grains kept in
/// a directory of their own (<see cref="SiloBuilderExtensions.UseNodeDirectory"/>) is a silo
/// lifecycle participant that implements the public <see cref="IGrainLocator"/>; that is how it
/// is found here. Nodes in Orleans' own distributed directory have no such locator to reach, and
/// <see cref="Forget"/> does nothing for them.
/// </remarks>
public sealed class NodeRoutes(IServiceProvider services)
{
    private IGrainLocator[]? _locators;

    /// <summary>How many locators this silo has whose caches <see cref="Forget"/> clears (for tests and diagnostics).</summary>
    public int LocatorCount => Locators.Length;

    /// <summary>Drops this silo's cached address of <paramref name="node"/>; the next call to it looks it up.</summary>
    public void Forget(GrainId node)
    {
        foreach (var locator in Locators) locator.InvalidateCache(node);
    }

    private IGrainLocator[] Locators =>
        _locators ??= [.. services.GetServices<ILifecycleParticipant<ISiloLifecycle>>().OfType<IGrainLocator>().Distinct()];
}
