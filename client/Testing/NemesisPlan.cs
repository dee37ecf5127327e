namespace OrleansNodes.Client.Testing;

/// <summary>One fault the nemesis will inject: when (from the start of the load), what, to which silo, and for how long.</summary>
/// <param name="At">When the fault starts, from the start of the load.</param>
/// <param name="Kind">What it does.</param>
/// <param name="Silo">The silo it hits (0-based); null for a fault of the storage server.</param>
/// <param name="Length">How long the silo stays killed or frozen (or the storage server down); a restart ends when the silo is back.</param>
public sealed record PlannedFault(TimeSpan At, FaultKind Kind, int? Silo, TimeSpan Length);

/// <summary>
/// The nemesis' schedule, fixed before the run from its seed so that a run can be repeated: one
/// fault every <c>interval</c>, never two at once (a fault ends before the next begins, so a
/// majority of three silos stays up), cycling through the kinds asked for in their order, each
/// aimed at a silo drawn from the seed. Each fault has its interval to itself: the last one
/// starts an interval before the load ends, leaving time to heal (a killed silo must start
/// again) and to recover before the final reads.
/// </summary>
public static class NemesisPlan
{
    /// <summary>The shortest interval between faults: a silo needs seconds to start and rejoin.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(2);

    /// <summary>Plans the faults of a load of <paramref name="duration"/>.</summary>
    public static IReadOnlyList<PlannedFault> Create(IReadOnlyList<FaultKind> kinds, TimeSpan interval, TimeSpan length, TimeSpan duration, int silos, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, MinInterval);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(length, interval);
        ArgumentOutOfRangeException.ThrowIfLessThan(silos, 1);
        if (kinds.Count == 0) return [];

        var random = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
        var faults = new List<PlannedFault>();
        for (var at = interval; at + interval <= duration; at += interval)
        {
            var kind = kinds[faults.Count % kinds.Count];
            faults.Add(new PlannedFault(at, kind, kind == FaultKind.StorageKill ? null : random.Next(silos), length));
        }
        return faults;
    }
}
