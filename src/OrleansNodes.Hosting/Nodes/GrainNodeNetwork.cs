using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using OrleansNodes.Core;
using OrleansNodes.Hosting.Clusters;

namespace OrleansNodes.Hosting.Nodes;

/// <summary>
/// The production network: one grain call per envelope, one-way except for one call with a
/// receipt to each destination every <see cref="ReceiptPeriod"/>, which keeps this silo's
/// route to the destination true.
/// </summary>
/// <remarks>
/// A silo caches where each grain lives. When a node moves (the placement keeper spreads nodes),
/// a silo that still has the old address sends to the old silo, which forwards, and only an
/// answer brings Orleans' correction back: a one-way call never gets one. Sent one-way only, a
/// node's messages would keep taking the detour through its old silo, and once that silo froze
/// or died they would be lost until membership declared it dead, tens of seconds with Orleans'
/// defaults: long enough to leave the majority that is still up without a leader. A receipt's
/// answer corrects the route within a period of the move; a receipt that does not come within
/// <see cref="ReceiptTimeout"/> makes the silo forget the route (<see cref="NodeRoutes"/>), so
/// the next message looks the node up in its directory.
/// </remarks>
public sealed class GrainNodeNetwork(IGrainFactory grains, NodeRoutes routes) : INodeNetwork
{
    /// <summary>How often, at most, a silo sends each destination a message with a receipt.</summary>
    public static readonly TimeSpan ReceiptPeriod = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a receipt may take before the route it took is forgotten.</summary>
    public static readonly TimeSpan ReceiptTimeout = TimeSpan.FromSeconds(1);

    private static readonly long ReceiptPeriodTicks = (long)(ReceiptPeriod.TotalSeconds * Stopwatch.Frequency);

    // Per destination: when its next receipt may be asked for; long.MaxValue while one is awaited.
    private readonly ConcurrentDictionary<string, StrongBox<long>> _receiptDue = new();

    /// <inheritdoc/>
    public void Send(string cluster, Envelope<object> envelope)
    {
        var key = NodeKey.Format(cluster, envelope.To);
        var node = grains.GetGrain<INodeGrain>(key);
        var due = _receiptDue.GetOrAdd(key, static _ => new StrongBox<long>(0));
        var next = Volatile.Read(ref due.Value);
        if (Stopwatch.GetTimestamp() >= next && Interlocked.CompareExchange(ref due.Value, long.MaxValue, next) == next)
        {
            _ = WithReceiptAsync(node, envelope, due);
            return;
        }
        // A one-way call completes as soon as the message is queued; there is nothing to await,
        // and delivery failures are indistinguishable from loss, which protocols tolerate.
        _ = node.Deliver(envelope.From, envelope.Message);
    }

    private async Task WithReceiptAsync(INodeGrain node, Envelope<object> envelope, StrongBox<long> due)
    {
        using var bound = new CancellationTokenSource(ReceiptTimeout);
        try
        {
            await node.DeliverWithReceipt(envelope.From, envelope.Message, bound.Token);
        }
        catch (Exception)
        {
            // No receipt in time, or a silo that refused: the message is lost like any other,
            // and the route it took may lead to a silo the node has left.
            routes.Forget(node.GetGrainId());
        }
        Volatile.Write(ref due.Value, Stopwatch.GetTimestamp() + ReceiptPeriodTicks);
    }
}
