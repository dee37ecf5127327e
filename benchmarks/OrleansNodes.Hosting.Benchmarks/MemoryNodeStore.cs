using OrleansNodes.Hosting.Storage;

namespace OrleansNodes.Hosting.Benchmarks;

/// <summary>
/// Node storage in this process's memory, for the benchmark's "memory" profile: what the host
/// costs with storage taken out of the picture. The same semantics as every backend (a flush is
/// atomic and conditional on the version; <c>DurableImage.Apply</c>'s order), under one lock.
/// </summary>
internal sealed class MemoryNodeStore : NodeStore
{
    private readonly Dictionary<string, Node> _nodes = [];
    private readonly Lock _lock = new();

    public override string Description => "memory";

    protected override Task<StoredNode?> ReadCoreAsync(string key, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_nodes.TryGetValue(key, out var node)
                ? new StoredNode(node.Version, node.Definition, node.Hard, node.Snapshot, [.. node.Log.Select(e => new StoredEntry(e.Key, e.Value))])
                : null);
        }
    }

    protected override Task<long> WriteCoreAsync(string key, NodeWrite write, CancellationToken cancellationToken)
    {
        var snapshot = write.Snapshot is { } written ? new StoredSnapshot(written.Index, [.. written.Chunks]) : null;
        lock (_lock)
        {
            _nodes.TryGetValue(key, out var node);
            if ((node?.Version ?? 0) != write.ExpectedVersion) throw new StaleWriteException($"memory: node {key} is at version {node?.Version ?? 0}, not {write.ExpectedVersion}");
            node ??= new Node { Definition = write.Definition! };
            node.Version++;
            if (write.Hard is { } hard) node.Hard = hard;
            if (snapshot is not null)
            {
                node.Snapshot = snapshot;
                node.Log.Clear();
            }
            else
            {
                foreach (var index in node.Log.Keys.Where(i => i >= write.TruncateFrom || i <= write.CompactThrough).ToList()) node.Log.Remove(index);
            }
            foreach (var put in write.Puts) node.Log[put.Index] = put.Payload;
            _nodes[key] = node;
        }
        return Task.FromResult(write.BytesWithoutSnapshot + (snapshot?.Bytes ?? 0));
    }

    private sealed class Node
    {
        public long Version { get; set; }

        public required byte[] Definition { get; init; }

        public byte[] Hard { get; set; } = [];

        public StoredSnapshot? Snapshot { get; set; }

        public SortedDictionary<long, byte[]> Log { get; } = [];
    }
}
