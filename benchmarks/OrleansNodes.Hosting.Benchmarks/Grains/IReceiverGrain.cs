using Orleans.Concurrency;

namespace OrleansNodes.Hosting.Benchmarks.Grains;

/// <summary>Counts the one-way messages it receives.</summary>
[Alias("on.bench.IReceiverGrain")]
public interface IReceiverGrain : IGrainWithIntegerKey
{
    /// <summary>One message, fire and forget: what a node's <c>Deliver</c> is.</summary>
    [OneWay, Alias("Receive")]
    Task Receive(long number);

    /// <summary>Messages received so far; interleaves, so it does not wait behind the queue it measures.</summary>
    [AlwaysInterleave, Alias("Received")]
    Task<long> Received();
}
