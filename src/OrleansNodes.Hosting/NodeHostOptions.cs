namespace OrleansNodes.Hosting;

/// <summary>How node grains run: tick period, batch size, request timeout, placement, keep-alive reminder.</summary>
public sealed class NodeHostOptions
{
    /// <summary>The grain storage provider name node and registry state is written to.</summary>
    public const string StorageName = "orleansnodes";

    /// <summary>Real time per <c>Tick</c>. Protocol timeouts are counts of ticks, so this scales them all.</summary>
    public TimeSpan TickPeriod { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The most inputs stepped before one write. Bounds how long replies wait behind a busy inbox.</summary>
    public int MaxBatchSize { get; set; } = 1024;

    /// <summary>Ticks a client request may wait for the protocol's reply before it is answered "unknown outcome".</summary>
    public int RequestTimeoutTicks { get; set; } = 50;

    /// <summary>
    /// How long a client gateway waits on one node before asking the next one (same request id,
    /// so a duplicate is harmless); doubles with each further hop. A node on a silo that just
    /// died answers only once membership declares the silo dead, so this bounds how long such a
    /// node holds up a request.
    /// </summary>
    public TimeSpan GatewayAttemptTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often each silo's <see cref="Placement.PlacementKeeper"/> pings the other silos, learns
    /// where its nodes' clusters run and moves a node of an unevenly spread cluster. Also the bound
    /// on each ping: a silo that does not answer within it is not a placement target.
    /// </summary>
    public TimeSpan PlacementPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Period of the durable reminder that re-activates every started node after its silo dies
    /// (grain timers die with the activation). Null disables it (silos without a reminder service).
    /// </summary>
    public TimeSpan? KeepAliveReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Throws with one clear line when a value is out of range.</summary>
    public void Validate()
    {
        if (TickPeriod < TimeSpan.FromMilliseconds(1)) throw new ArgumentOutOfRangeException(nameof(TickPeriod), TickPeriod, "TickPeriod must be at least 1 ms");
        if (MaxBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(MaxBatchSize), MaxBatchSize, "MaxBatchSize must be at least 1");
        if (RequestTimeoutTicks < 1) throw new ArgumentOutOfRangeException(nameof(RequestTimeoutTicks), RequestTimeoutTicks, "RequestTimeoutTicks must be at least 1");
        if (GatewayAttemptTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(GatewayAttemptTimeout), GatewayAttemptTimeout, "GatewayAttemptTimeout must be positive");
        if (PlacementPeriod < TimeSpan.FromMilliseconds(10))
            throw new ArgumentOutOfRangeException(nameof(PlacementPeriod), PlacementPeriod, "PlacementPeriod must be at least 10 ms");
        if (KeepAliveReminderPeriod is { } period && period <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(KeepAliveReminderPeriod), period, "KeepAliveReminderPeriod must be positive");
    }
}
