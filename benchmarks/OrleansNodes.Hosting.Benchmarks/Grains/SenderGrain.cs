using System.Diagnostics;

namespace OrleansNodes.Hosting.Benchmarks.Grains;

/// <summary>See <see cref="ISenderGrain"/>.</summary>
public sealed class SenderGrain : Grain, ISenderGrain
{
    /// <inheritdoc/>
    public async Task<long> Send(long receiver, TimeSpan duration, int windowMessages)
    {
        var target = GrainFactory.GetGrain<IReceiverGrain>(receiver);
        var started = Stopwatch.GetTimestamp();
        long sent = 0;
        while (Stopwatch.GetElapsedTime(started) < duration)
        {
            // A window keeps the receiver's queue bounded, so the figure is a steady rate and
            // not how fast memory fills with undelivered messages.
            for (var i = 0; i < windowMessages / 2; i++) _ = target.Receive(sent++);
            while (sent - await target.Received() > windowMessages / 2) await Task.Delay(1);
        }
        return sent;
    }
}
