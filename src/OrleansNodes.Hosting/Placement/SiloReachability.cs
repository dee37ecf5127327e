using System.Collections.Concurrent;
using Orleans.Runtime;

namespace OrleansNodes.Hosting.Placement;

/// <summary>
/// Which silos answered this silo's last ping (<see cref="PlacementKeeper"/> pings every active
/// silo each period). Membership takes seconds to tens of seconds to declare a silo dead; until
/// then it still lists a killed or frozen silo as active, and a node placed there would not run
/// until the declaration. Placement consults this instead: a silo that did not answer its last
/// ping is not a candidate. A silo never pinged yet counts as reachable (membership's word is
/// all there is).
/// </summary>
public sealed class SiloReachability
{
    private readonly ConcurrentDictionary<SiloAddress, bool> _answered = new();

    /// <summary>Whether <paramref name="silo"/> answered its last ping, or was never pinged.</summary>
    public bool IsReachable(SiloAddress silo) => _answered.GetValueOrDefault(silo, true);

    /// <summary>Records the outcome of a ping of <paramref name="silo"/>.</summary>
    public void Record(SiloAddress silo, bool answered) => _answered[silo] = answered;

    /// <summary>Forgets silos that are no longer members.</summary>
    public void Retain(IReadOnlySet<SiloAddress> members)
    {
        foreach (var silo in _answered.Keys)
            if (!members.Contains(silo)) _answered.TryRemove(silo, out _);
    }
}
