using System.Collections.Concurrent;
using Orleans.Serialization;
using OrleansNodes.Hosting.Storage;

namespace OrleansNodes.Hosting.Tests.Support;

/// <summary>
/// Wraps the real node store: logs every node write, and fails the writes a test picks (by node
/// key and by the hard state about to be written), as a database that is down would.
/// </summary>
public sealed class ObservedStorage(NodeStore inner, Serializer serializer, HostEvents events, ConcurrentDictionary<string, Func<object?, bool>> failWhen) : NodeStore
{
    public override string Description => "observed " + inner.Description;

    protected override Task<StoredNode?> ReadCoreAsync(string key, CancellationToken cancellationToken) => inner.ReadAsync(key, cancellationToken);

    protected override async Task<long> WriteCoreAsync(string key, NodeWrite write, CancellationToken cancellationToken)
    {
        if (failWhen.TryGetValue(key, out var fails) && write.Hard is { } hard && fails(serializer.Deserialize<object?>(hard)))
        {
            events.Add(HostEventKind.WriteFailed, key);
            throw new IOException($"injected write failure for {key}");
        }
        long bytes;
        try
        {
            bytes = await inner.WriteAsync(key, write, cancellationToken);
        }
        catch
        {
            events.Add(HostEventKind.WriteFailed, key);
            throw;
        }
        events.Add(HostEventKind.WriteSucceeded, key);
        return bytes;
    }
}
