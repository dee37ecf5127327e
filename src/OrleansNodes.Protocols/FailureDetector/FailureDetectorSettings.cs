namespace OrleansNodes.Protocols.FailureDetector;

/// <summary>Settings of the heartbeat failure detector, in ticks.</summary>
/// <param name="HeartbeatIntervalTicks">Every node sends a heartbeat to every peer this often.</param>
/// <param name="SuspectAfterTicks">
/// A peer silent for this many ticks is suspected. It must exceed the longest silence between
/// two heartbeats' arrivals on a healthy network (see <see cref="NetworkBounds.MinSuspectAfterTicks"/>),
/// or live peers get suspected between heartbeats.
/// </param>
[GenerateSerializer, Immutable, Alias("on.fd.Settings")]
public sealed record FailureDetectorSettings(
    [property: Id(0)] int HeartbeatIntervalTicks,
    [property: Id(1)] int SuspectAfterTicks)
{
    /// <summary>
    /// A heartbeat every 2 ticks, suspicion after 24 silent ticks: above the 19 that
    /// <see cref="NetworkBounds.Simulator"/> requires (4 rounds of delay, clocks skewed up to 2×).
    /// </summary>
    public static readonly FailureDetectorSettings Default = new(HeartbeatIntervalTicks: 2, SuspectAfterTicks: 24);
}
