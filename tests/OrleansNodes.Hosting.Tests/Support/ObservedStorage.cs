using System.Collections.Concurrent;
using Orleans.Storage;

namespace OrleansNodes.Hosting.Tests.Support;

/// <summary>
/// Wraps the real grain storage: logs every node write, and fails the writes a test picks
/// (by node key and by the state about to be written), as a database that is down would.
/// </summary>
public sealed class ObservedStorage(IGrainStorage inner, HostEvents events, ConcurrentDictionary<string, Func<object?, bool>> failWhen) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var node = grainId.Key.ToString()!;
        if (failWhen.TryGetValue(node, out var fails) && fails(grainState.State))
        {
            events.Add(HostEventKind.WriteFailed, node);
            throw new IOException($"injected write failure for {node}");
        }
        try
        {
            await inner.WriteStateAsync(stateName, grainId, grainState);
        }
        catch
        {
            events.Add(HostEventKind.WriteFailed, node);
            throw;
        }
        events.Add(HostEventKind.WriteSucceeded, node);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
