namespace OrleansNodes.Hosting.Benchmarks.Grains;

/// <summary>Sends one-way messages to a receiver grain for a while.</summary>
[Alias("on.bench.ISenderGrain")]
public interface ISenderGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Sends to receiver <paramref name="receiver"/> for <paramref name="duration"/>, never more
    /// than <paramref name="windowMessages"/> ahead of what it has received; returns the number sent.
    /// </summary>
    [Alias("Send")]
    Task<long> Send(long receiver, TimeSpan duration, int windowMessages);
}
