using OrleansNodes.Hosting.Clusters;
using OrleansNodes.Hosting.Nodes;

namespace OrleansNodes.Hosting.Tests.Support;

/// <summary>
/// Wraps the grain network: logs every send, and for clusters a test makes lossy, drops and
/// reorders messages deterministically (by message count, not by time or chance).
/// </summary>
public sealed class ObservedNetwork(INodeNetwork inner, HostEvents events) : INodeNetwork
{
    private readonly Dictionary<string, Lossy> _lossy = [];
    private readonly Lock _lock = new();

    /// <summary>From now on, drop every <paramref name="dropEvery"/>th message of <paramref name="cluster"/> and hold back every <paramref name="holdEvery"/>th until after the next one.</summary>
    public void MakeLossy(string cluster, int dropEvery, int holdEvery)
    {
        lock (_lock) _lossy[cluster] = new Lossy(dropEvery, holdEvery);
    }

    public void Send(string cluster, Core.Envelope<object> envelope)
    {
        events.Add(HostEventKind.Sent, NodeKey.Format(cluster, envelope.From));
        List<Core.Envelope<object>> deliver;
        lock (_lock)
        {
            deliver = _lossy.TryGetValue(cluster, out var lossy) ? lossy.Pass(envelope) : [envelope];
        }
        foreach (var message in deliver) inner.Send(cluster, message);
    }

    private sealed class Lossy(int dropEvery, int holdEvery)
    {
        private long _count;
        private Core.Envelope<object>? _held;

        public List<Core.Envelope<object>> Pass(Core.Envelope<object> envelope)
        {
            _count++;
            if (_count % dropEvery == 0) return [];
            if (_count % holdEvery == 0 && _held is null)
            {
                _held = envelope;
                return [];
            }
            // The held message goes out after this one: the two arrive reordered.
            List<Core.Envelope<object>> deliver = [envelope];
            if (_held is { } held) deliver.Add(held);
            _held = null;
            return deliver;
        }
    }
}
