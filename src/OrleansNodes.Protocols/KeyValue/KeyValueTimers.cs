namespace OrleansNodes.Protocols.KeyValue;

/// <summary>
/// The counters every tick changes, kept apart from the log and the store so a tick allocates
/// this small record and a new state shell while sharing everything large.
/// </summary>
/// <param name="Election">Followers and candidates: ticks without hearing from a leader.</param>
/// <param name="Heartbeat">Leaders: ticks until the next heartbeat and retransmission.</param>
/// <param name="Random">Draws the randomized election timeouts; seeded from the node's config seed.</param>
[GenerateSerializer, Immutable, Alias("on.kv.KeyValueTimers")]
public sealed record KeyValueTimers(
    [property: Id(0)] TickTimer Election,
    [property: Id(1)] TickTimer Heartbeat,
    [property: Id(2)] SeededRandom Random)
{
    /// <summary>Timers with a freshly drawn election timeout.</summary>
    public static KeyValueTimers Start(KeyValueSettings settings, SeededRandom random)
    {
        var (election, next) = TickTimer.StartRandomized(random, settings.ElectionTimeoutTicksMin, settings.ElectionTimeoutTicksMax);
        return new KeyValueTimers(election, TickTimer.Start(settings.HeartbeatIntervalTicks), next);
    }

    /// <summary>Draws a new election timeout and starts it from zero: after hearing from a leader, or when campaigning.</summary>
    public KeyValueTimers RestartElection(KeyValueSettings settings) => Start(settings, Random);
}
