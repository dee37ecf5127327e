using System.Diagnostics;
using OrleansNodes.Core;

namespace OrleansNodes.Hosting.Clients;

/// <summary>
/// One client's numbered requests to one cluster. Each <see cref="SubmitAsync"/> takes the next
/// sequence number; <see cref="RetryAsync"/> resubmits an earlier one with the same number,
/// which is how a caller resolves an "unknown outcome".
/// </summary>
/// <remarks>
/// A submission keeps trying for <see cref="Timeout"/>, in attempts of at most
/// <see cref="AttemptTimeout"/>, each with the same request id (protocols deduplicate by it, so a
/// request that reached a node twice takes effect once). Each attempt after the first goes to the
/// next lane of the cluster's front door (<see cref="IClusterGatewayGrain.Key"/>), which an
/// Orleans client routes through the next live gateway in turn: a gateway whose silo died or froze
/// holds a request for one attempt, not for the whole timeout (an Orleans client does not fail
/// calls in flight on a gateway connection that closes; they wait out its response timeout, and
/// on a frozen silo's connection, which stays open, the client would keep choosing it).
/// Sessions start on lanes of their own, and after each reply move to a lane whose gateway is the
/// answering node's silo (<see cref="GatewayLanes"/>), so that a request to the leader does not
/// cross between silos on its way.
/// </remarks>
public sealed class ClusterSession
{
    /// <summary>How long one attempt waits on one gateway by default.</summary>
    public static readonly TimeSpan DefaultAttemptTimeout = TimeSpan.FromSeconds(2);

    // The gateway answers "unknown" by itself when its attempt's time is up; this is how much
    // longer the session waits for that answer before it counts the gateway as silent.
    private static readonly TimeSpan AnswerGrace = TimeSpan.FromMilliseconds(500);

    // After an attempt that failed at once (no gateway connected, a silo refusing), a pause so
    // that retries do not spin.
    private static readonly TimeSpan FailedAttemptPause = TimeSpan.FromMilliseconds(100);

    /// <summary>How many lanes of a cluster's front door sessions use.</summary>
    public const int Lanes = 16;

    private readonly IGrainFactory _grains;
    private readonly string _cluster;
    private readonly GatewayLanes _gateways;
    private long _sequence;
    private int _lane;
    private NodeId? _lastAnswered;

    internal ClusterSession(IGrainFactory grains, string cluster, GatewayLanes gateways, ClientId client, TimeSpan timeout, TimeSpan attemptTimeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(attemptTimeout, TimeSpan.Zero);
        if (gateways.Count != Lanes) throw new ArgumentException($"a session needs {Lanes} lanes, not {gateways.Count}", nameof(gateways));
        _grains = grains;
        _cluster = cluster;
        _gateways = gateways;
        _lane = (int)((ulong)client.Value % Lanes);
        Client = client;
        Timeout = timeout;
        AttemptTimeout = attemptTimeout;
    }

    /// <summary>This session's client id.</summary>
    public ClientId Client { get; }

    /// <summary>How long one submission keeps trying before reporting "unknown outcome".</summary>
    public TimeSpan Timeout { get; }

    /// <summary>How long one attempt waits on one gateway before the next attempt.</summary>
    public TimeSpan AttemptTimeout { get; }

    /// <summary>The sequence number of the last request submitted.</summary>
    public long LastSequence => Interlocked.Read(ref _sequence);

    /// <summary>Submits <paramref name="command"/> as the next request of this session.</summary>
    public Task<RequestOutcome> SubmitAsync(object command) => RetryAsync(Interlocked.Increment(ref _sequence), command);

    /// <summary>Submits <paramref name="command"/> under an existing sequence number.</summary>
    public async Task<RequestOutcome> RetryAsync(long sequence, object command)
    {
        var started = Stopwatch.GetTimestamp();
        var problem = "no gateway answered";
        var mayHaveTakenEffect = false;
        RequestOutcome.Rejected? refusal = null;
        for (var attempts = 0; ; attempts++)
        {
            // A retry takes the next lane, and the session stays there: the lane that just failed
            // may go through a gateway that is gone or frozen.
            if (attempts > 0) _lane = (_lane + 1) % Lanes;
            var gateway = _grains.GetGrain<IClusterGatewayGrain>(IClusterGatewayGrain.Key(_cluster, _lane));
            var remaining = Timeout - Stopwatch.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                return refusal is not null && !mayHaveTakenEffect
                    ? refusal
                    : new RequestOutcome.Unknown($"no answer within {Timeout.TotalSeconds:0.#} s; last: {problem}");
            }
            var attempt = AttemptTimeout < remaining ? AttemptTimeout : remaining;
            var attemptStarted = Stopwatch.GetTimestamp();
            try
            {
                var outcome = await gateway.Submit(Client, sequence, command, _lastAnswered, attempt).WaitAsync(attempt + AnswerGrace);
                switch (outcome)
                {
                    case RequestOutcome.Replied replied:
                        _lastAnswered = replied.By;
                        if (replied is { GatewaySilo: { } gatewaySilo, NodeSilo: { } nodeSilo }) _lane = _gateways.Next(_lane, gatewaySilo, nodeSilo);
                        return outcome;
                    case RequestOutcome.Unknown unknown:
                        mayHaveTakenEffect = true;
                        problem = unknown.Reason;
                        break;
                    case RequestOutcome.Rejected { Transient: true } rejected:
                        refusal = rejected;
                        problem = rejected.Reason;
                        // A gateway that refuses at once (its silo is stopping) is not asked again in a tight loop.
                        if (Stopwatch.GetElapsedTime(attemptStarted) < FailedAttemptPause) await Task.Delay(FailedAttemptPause);
                        break;
                    default:
                        return outcome;
                }
            }
            catch (TimeoutException)
            {
                // The gateway's silo died or froze with this request in flight: the request may have reached a node.
                mayHaveTakenEffect = true;
                problem = $"a gateway did not answer within {(attempt + AnswerGrace).TotalSeconds:0.#} s";
            }
            catch (OrleansException exception)
            {
                mayHaveTakenEffect = true;
                problem = exception.Message.Split('\n', 2)[0].Trim();
                if (Stopwatch.GetElapsedTime(attemptStarted) < FailedAttemptPause) await Task.Delay(FailedAttemptPause);
            }
        }
    }
}
