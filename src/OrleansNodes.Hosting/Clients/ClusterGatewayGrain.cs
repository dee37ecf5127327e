using System.Diagnostics;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using OrleansNodes.Core;
using OrleansNodes.Hosting.Clusters;
using OrleansNodes.Hosting.Nodes;
using OrleansNodes.Hosting.Protocols;
using OrleansNodes.Hosting.Telemetry;

namespace OrleansNodes.Hosting.Clients;

/// <summary>
/// Routes client requests to a cluster's nodes. See <see cref="IClusterGatewayGrain"/>. It is
/// not a node and holds no state worth persisting, so it may await nodes: nodes never call it.
/// Reentrant, so one worker can wait on many requests at once.
/// <para>
/// A node whose silo died does not answer until membership declares that silo dead, which takes
/// seconds (tens with Orleans' defaults). So no single attempt may use the whole timeout: an
/// attempt is bounded by <see cref="NodeHostOptions.GatewayAttemptTimeout"/>, doubling with each
/// hop, and a node that let an attempt expire is passed over as a first choice for
/// <see cref="SuspectAttempts"/> attempt periods. Hints still lead to it: a slow leader is still
/// the leader, and the longer bound of the next hop gives it the time it needs.
/// </para>
/// </summary>
[StatelessWorker, Reentrant]
public sealed class ClusterGatewayGrain(ProtocolRegistry protocols, ClusterCatalog catalog, GatewayMemory memory, NodeRoutes routes, SiloShutdown shutdown, IOptions<NodeHostOptions> options) : Grain, IClusterGatewayGrain
{
    /// <summary>How many attempt periods a node that let one expire is passed over as a first choice.</summary>
    public const int SuspectAttempts = 5;

    // The most an attempt's bound doubles: 2^4 attempt periods.
    private const int MaxBackoffShift = 4;

    private ClusterDefinition? _definition;

    /// <inheritdoc/>
    public async Task<RequestOutcome> Submit(ClientId client, long sequence, object command, NodeId? preferred, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        var cluster = IClusterGatewayGrain.ClusterOf(this.GetPrimaryKeyString());
        var outcome = await RouteAsync(cluster, client, sequence, command, preferred, timeout);
        var name = outcome switch
        {
            RequestOutcome.Replied => "ok",
            RequestOutcome.Unknown => "unknown",
            _ => "rejected",
        };
        // Tagged with clusters that exist only: a client naming others must not grow the metric's series.
        var known = _definition?.Name ?? "(unknown)";
        NodeMetrics.RequestDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("cluster", known), new KeyValuePair<string, object?>("outcome", name));
        return outcome;
    }

    private async Task<RequestOutcome> RouteAsync(string cluster, ClientId client, long sequence, object command, NodeId? preferred, TimeSpan timeout)
    {
        var definition = _definition ??= await catalog.FindAsync(cluster);
        if (definition is null) return new RequestOutcome.Rejected($"no cluster named '{cluster}'");
        if (!protocols.TryGet(definition.Protocol, out var protocol))
            return new RequestOutcome.Rejected($"protocol '{definition.Protocol}' is not registered in this silo");

        var started = Stopwatch.GetTimestamp();
        var target = FirstChoice(ValidOrNull(preferred, definition) ?? ValidOrNull(memory.LastAnswered(definition.Name), definition) ?? new NodeId(0), definition);
        var hops = 0;
        string lastProblem = "no node answered";
        // Whether an attempt may have reached the protocol: until one may have, a deadline that
        // passes after refusals only (nodes not started yet) is still a definite refusal.
        var mayHaveTakenEffect = false;
        RequestOutcome.Rejected? refusal = null;
        while (true)
        {
            // This silo is stopping, and Orleans waits for this request before it deactivates the
            // gateway: the client retries elsewhere rather than here.
            if (shutdown.IsStopping)
            {
                return mayHaveTakenEffect
                    ? new RequestOutcome.Unknown($"the gateway's silo is stopping; last: {lastProblem}")
                    : new RequestOutcome.Rejected("the gateway's silo is stopping", Transient: true);
            }
            var remaining = timeout - Stopwatch.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                return refusal is not null && !mayHaveTakenEffect
                    ? refusal
                    : new RequestOutcome.Unknown($"no answer within {timeout.TotalSeconds:0.#} s; last: {lastProblem}");
            }

            var attempt = options.Value.GatewayAttemptTimeout * (1 << Math.Min(hops, MaxBackoffShift));
            var outcome = await AskAsync(definition, target, client, sequence, command, attempt < remaining ? attempt : remaining);
            switch (outcome)
            {
                case RequestOutcome.Replied replied when protocol.Redirect(replied.Reply) is { } hint:
                    // While a leader is being elected, nodes may point at each other or at no one;
                    // after a full round of hops, pause a tick before following the next hint.
                    var next = ValidOrNull(hint.Leader, definition) ?? new NodeId((target.Value + 1) % definition.NodeCount);
                    lastProblem = $"{target} redirected to {hint.Leader?.ToString() ?? "anyone"}";
                    NodeMetrics.Redirects.Add(1, new KeyValuePair<string, object?>("cluster", definition.Name));
                    if (++hops % definition.NodeCount == 0) await Task.Delay(options.Value.TickPeriod);
                    target = next;
                    break;
                case RequestOutcome.Replied replied:
                    memory.Answered(definition.Name, replied.By);
                    return replied with { GatewaySilo = GrainContext.Address.SiloAddress };
                case RequestOutcome.Rejected { Transient: true } rejected:
                    refusal = rejected;
                    lastProblem = rejected.Reason;
                    target = new NodeId((target.Value + 1) % definition.NodeCount);
                    if (++hops % definition.NodeCount == 0) await Task.Delay(options.Value.TickPeriod);
                    break;
                case RequestOutcome.Rejected:
                    return outcome;
                case RequestOutcome.Unknown unknown:
                    // Same id, next node: the protocol's deduplication makes this safe.
                    mayHaveTakenEffect = true;
                    lastProblem = unknown.Reason;
                    target = new NodeId((target.Value + 1) % definition.NodeCount);
                    if (++hops % definition.NodeCount == 0) await Task.Delay(options.Value.TickPeriod);
                    break;
            }
        }
    }

    private async Task<RequestOutcome> AskAsync(ClusterDefinition definition, NodeId target, ClientId client, long sequence, object command, TimeSpan remaining)
    {
        var node = GrainFactory.GetGrain<INodeGrain>(definition.NodeKey(target));
        try
        {
            return await node.Request(client, sequence, command).WaitAsync(remaining);
        }
        catch (TimeoutException)
        {
            // The node may have moved on from a silo that froze: the next attempt looks it up anew.
            routes.Forget(node.GetGrainId());
            memory.Suspect(definition.Name, target, Stopwatch.GetTimestamp() + (long)(SuspectAttempts * options.Value.GatewayAttemptTimeout.TotalSeconds * Stopwatch.Frequency));
            return new RequestOutcome.Unknown($"{target} did not answer in time");
        }
        catch (OrleansException exception)
        {
            // The silo of that node is gone or the call was lost: the request may have arrived.
            // Orleans' messages can run to many lines (diagnostics, inner stack traces): the first says what happened.
            return new RequestOutcome.Unknown($"{target}: {FirstLine(exception.Message)}");
        }
        catch (Storage.NodeStoreException exception)
        {
            // The node could not activate because its storage failed (a server that is down): an
            // earlier attempt may have reached it before, so the outcome stays unknown.
            return new RequestOutcome.Unknown($"{target}: {FirstLine(exception.Message)}");
        }
    }

    // The wanted node, or the next one not under suspicion (the wanted one if all are).
    private NodeId FirstChoice(NodeId wanted, ClusterDefinition definition)
    {
        var now = Stopwatch.GetTimestamp();
        for (var i = 0; i < definition.NodeCount; i++)
        {
            var candidate = new NodeId((wanted.Value + i) % definition.NodeCount);
            if (!memory.IsSuspect(definition.Name, candidate, now)) return candidate;
        }
        return wanted;
    }

    private static string FirstLine(string text) => text.AsSpan().TrimStart().IndexOfAny('\r', '\n') is var end and >= 0 ? text.TrimStart()[..end] : text.Trim();

    private static NodeId? ValidOrNull(NodeId? node, ClusterDefinition definition) =>
        node is { } n && n.Value >= 0 && n.Value < definition.NodeCount ? n : null;
}
