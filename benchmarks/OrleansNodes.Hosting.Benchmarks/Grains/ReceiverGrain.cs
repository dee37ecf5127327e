namespace OrleansNodes.Hosting.Benchmarks.Grains;

/// <summary>See <see cref="IReceiverGrain"/>.</summary>
public sealed class ReceiverGrain : Grain, IReceiverGrain
{
    private long _received;

    /// <inheritdoc/>
    public Task Receive(long number)
    {
        _received++;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<long> Received() => Task.FromResult(_received);
}
