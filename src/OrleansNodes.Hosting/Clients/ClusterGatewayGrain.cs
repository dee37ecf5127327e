using System.Diagnostics;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using OrleansNodes.Core;
using OrleansNodes.Hosting.Clusters;
using OrleansNodes.Hosting.Nodes;
using OrleansNodes.Hosting.Protocols;

namespace OrleansNodes.Hosting.Clients;

/// <summary>
/// Routes client requests to a cluster's nodes. See <see cref="IClusterGatewayGrain"/>. It is
/// not a node and holds no state worth persisting, so it may await nodes: nodes never call it.
/// Reentrant, so one worker can wait on many requests at once.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class ClusterGatewayGrain(ProtocolRegistry protocols, IOptions<NodeHostOptions> options) : Grain, IClusterGatewayGrain
{
    private ClusterDefinition? _definition;
    private NodeId? _lastAnswered;

    /// <inheritdoc/>
    public async Task<RequestOutcome> Submit(ClientId client, long sequence, object command, NodeId? preferred, TimeSpan timeout)
    {
        var definition = _definition ??= await GrainFactory.GetGrain<IClusterRegistryGrain>(IClusterRegistryGrain.Key).Find(this.GetPrimaryKeyString());
        if (definition is null) return new RequestOutcome.Rejected($"no cluster named '{this.GetPrimaryKeyString()}'");
        if (!protocols.TryGet(definition.Protocol, out var protocol))
            return new RequestOutcome.Rejected($"protocol '{definition.Protocol}' is not registered in this silo");

        var started = Stopwatch.GetTimestamp();
        var target = ValidOrNull(preferred, definition) ?? ValidOrNull(_lastAnswered, definition) ?? new NodeId(0);
        var hops = 0;
        string lastProblem = "no node answered";
        while (true)
        {
            var remaining = timeout - Stopwatch.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero) return new RequestOutcome.Unknown($"no answer within {timeout.TotalSeconds:0.#} s; last: {lastProblem}");

            var outcome = await AskAsync(definition, target, client, sequence, command, remaining);
            switch (outcome)
            {
                case RequestOutcome.Replied replied when protocol.Redirect(replied.Reply) is { } hint:
                    // While a leader is being elected, nodes may point at each other or at no one;
                    // after a full round of hops, pause a tick before following the next hint.
                    var next = ValidOrNull(hint.Leader, definition) ?? new NodeId((target.Value + 1) % definition.NodeCount);
                    lastProblem = $"{target} redirected to {hint.Leader?.ToString() ?? "anyone"}";
                    if (++hops % definition.NodeCount == 0) await Task.Delay(options.Value.TickPeriod);
                    target = next;
                    break;
                case RequestOutcome.Replied replied:
                    _lastAnswered = replied.By;
                    return replied;
                case RequestOutcome.Rejected:
                    return outcome;
                case RequestOutcome.Unknown unknown:
                    // Same id, next node: the protocol's deduplication makes this safe.
                    lastProblem = unknown.Reason;
                    target = new NodeId((target.Value + 1) % definition.NodeCount);
                    if (++hops % definition.NodeCount == 0) await Task.Delay(options.Value.TickPeriod);
                    break;
            }
        }
    }

    private async Task<RequestOutcome> AskAsync(ClusterDefinition definition, NodeId target, ClientId client, long sequence, object command, TimeSpan remaining)
    {
        try
        {
            return await GrainFactory.GetGrain<INodeGrain>(definition.NodeKey(target)).Request(client, sequence, command).WaitAsync(remaining);
        }
        catch (TimeoutException)
        {
            return new RequestOutcome.Unknown($"{target} did not answer in time");
        }
        catch (OrleansException exception)
        {
            // The silo of that node is gone or the call was lost: the request may have arrived.
            return new RequestOutcome.Unknown($"{target}: {exception.Message}");
        }
    }

    private static NodeId? ValidOrNull(NodeId? node, ClusterDefinition definition) =>
        node is { } n && n.Value >= 0 && n.Value < definition.NodeCount ? n : null;
}
