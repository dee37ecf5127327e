using Orleans.Configuration;

namespace OrleansNodes.Silo;

/// <summary>
/// How fast the silos of a cluster declare a dead silo dead (<c>OrleansNodes:Membership</c>,
/// e.g. <c>ORLEANSNODES__MEMBERSHIP__PROBETIMEOUTMS=1000</c>). Unset values keep Orleans'
/// defaults (a 5 s probe timeout, 3 missed probes).
/// </summary>
/// <remarks>
/// <para>Orleans' membership (ClusterMembershipOptions) has each silo probe a few others; a
/// silo that misses <see cref="MissedProbesLimit"/> probes in a row is suspected, and two
/// suspecting silos vote it dead in the membership table. Only then does the cluster move the
/// dead silo's grains: until that moment every call to a node that lived there is lost, so a
/// replicated cluster whose leader (or whose majority) lived there cannot make progress. The
/// time to declare death is roughly the effective probe timeout (adapted per silo between half
/// and four times <see cref="ProbeTimeoutMs"/>) times <see cref="MissedProbesLimit"/>.</para>
/// <para>The trade-off: shorter detection also declares a live silo dead during a long GC
/// pause, a CPU-starved container or a network hiccup. A silo declared dead must restart (its
/// grains are re-created elsewhere); a false suspicion thus costs a restart and the
/// reactivation of every grain it hosted, which is worse than a few more seconds of waiting.
/// Lower these on a quiet, dedicated network; keep the defaults on shared, busy machines.
/// (A silo that restarts on the same address is recognised at once: joining, it marks its
/// older generation dead itself.)</para>
/// </remarks>
public sealed class MembershipSettings
{
    /// <summary>The initial liveness probe timeout and probe period, in milliseconds; null keeps Orleans' 5000.</summary>
    public int? ProbeTimeoutMs { get; set; }

    /// <summary>Missed probes in a row after which a silo is suspected; null keeps Orleans' 3.</summary>
    public int? MissedProbesLimit { get; set; }

    /// <summary>Applies the settings to the silo's <see cref="ClusterMembershipOptions"/>.</summary>
    public void ApplyTo(ISiloBuilder silo) => silo.Configure<ClusterMembershipOptions>(options =>
    {
        if (ProbeTimeoutMs is { } probeTimeoutMs) options.ProbeTimeout = TimeSpan.FromMilliseconds(probeTimeoutMs);
        if (MissedProbesLimit is { } missedProbesLimit) options.NumMissedProbesLimit = missedProbesLimit;
    });

    /// <summary>One line per unusable value.</summary>
    public IEnumerable<string> Problems()
    {
        if (ProbeTimeoutMs is < 100 or > 600_000) yield return $"Membership:ProbeTimeoutMs {ProbeTimeoutMs} is outside 100..600000";
        if (MissedProbesLimit is < 1 or > 100) yield return $"Membership:MissedProbesLimit {MissedProbesLimit} is outside 1..100";
    }
}
