using OrleansNodes.Core;

namespace OrleansNodes.Hosting.Clients;

/// <summary>
/// One client's numbered requests to one cluster. Each <see cref="SubmitAsync"/> takes the next
/// sequence number; <see cref="RetryAsync"/> resubmits an earlier one with the same number,
/// which is how a caller resolves an "unknown outcome".
/// </summary>
public sealed class ClusterSession
{
    private readonly IClusterGatewayGrain _gateway;
    private long _sequence;
    private NodeId? _lastAnswered;

    internal ClusterSession(IClusterGatewayGrain gateway, ClientId client, TimeSpan timeout)
    {
        _gateway = gateway;
        Client = client;
        Timeout = timeout;
    }

    /// <summary>This session's client id.</summary>
    public ClientId Client { get; }

    /// <summary>How long one submission keeps trying before reporting "unknown outcome".</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The sequence number of the last request submitted.</summary>
    public long LastSequence => Interlocked.Read(ref _sequence);

    /// <summary>Submits <paramref name="command"/> as the next request of this session.</summary>
    public Task<RequestOutcome> SubmitAsync(object command) => RetryAsync(Interlocked.Increment(ref _sequence), command);

    /// <summary>Submits <paramref name="command"/> under an existing sequence number.</summary>
    public async Task<RequestOutcome> RetryAsync(long sequence, object command)
    {
        RequestOutcome outcome;
        try
        {
            outcome = await _gateway.Submit(Client, sequence, command, _lastAnswered, Timeout);
        }
        catch (Exception exception) when (exception is TimeoutException or OrleansException)
        {
            // The gateway's silo went away mid-request: the request may have reached a node.
            return new RequestOutcome.Unknown(exception.Message);
        }
        if (outcome is RequestOutcome.Replied replied) _lastAnswered = replied.By;
        return outcome;
    }
}
