namespace OrleansNodes.Protocols.FailureDetector;

/// <summary>Settings of the heartbeat failure detector, in ticks.</summary>
/// <param name="HeartbeatIntervalTicks">Every node sends a heartbeat to every peer this often.</param>
/// <param name="SuspectAfterTicks">
/// A peer silent for this many ticks is suspected. It must exceed the longest gap between two
/// heartbeats' arrivals on a healthy network (the interval plus the maximum message delay),
/// or live peers get suspected between heartbeats.
/// </param>
[GenerateSerializer, Immutable, Alias("on.fd.Settings")]
public sealed record FailureDetectorSettings(
    [property: Id(0)] int HeartbeatIntervalTicks,
    [property: Id(1)] int SuspectAfterTicks)
{
    /// <summary>A heartbeat every 3 ticks; suspicion after 12 silent ticks, room for the interval plus a delay of up to 8 ticks.</summary>
    public static readonly FailureDetectorSettings Default = new(HeartbeatIntervalTicks: 3, SuspectAfterTicks: 12);
}
