using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace OrleansNodes.Storage.Azure;

/// <summary>
/// The blobs directly in one node's folder, as one listing saw them: segments by number with their
/// length and ETag, and snapshot names with the segment each was staged for. Nodes whose keys
/// extend this one (<c>kv/0/x</c> beside <c>kv/0</c>) are subfolders and not listed.
/// </summary>
internal sealed class NodeListing
{
    private NodeListing(SortedDictionary<long, SegmentBlob> segments, List<SnapshotBlobName> snapshots)
    {
        Segments = segments;
        Snapshots = snapshots;
    }

    /// <summary>The log segments, by number.</summary>
    public SortedDictionary<long, SegmentBlob> Segments { get; }

    /// <summary>The snapshot blobs.</summary>
    public List<SnapshotBlobName> Snapshots { get; }

    /// <summary>The highest segment, or null when the node has none.</summary>
    public long? Highest => Segments.Count == 0 ? null : Segments.Keys.Max();

    /// <summary>Lists <paramref name="folder"/>; a missing container lists as empty.</summary>
    public static async Task<NodeListing> ReadAsync(BlobContainerClient container, string folder, CancellationToken cancellationToken)
    {
        var segments = new SortedDictionary<long, SegmentBlob>();
        var snapshots = new List<SnapshotBlobName>();
        try
        {
            var options = new GetBlobsByHierarchyOptions { Prefix = folder, Delimiter = "/" };
            await foreach (var item in container.GetBlobsByHierarchyAsync(options, cancellationToken))
            {
                if (!item.IsBlob) continue;
                var leaf = item.Blob.Name[folder.Length..];
                if (NodeBlobs.TryParseSegment(leaf, out var number))
                    segments[number] = new SegmentBlob(item.Blob.Name, item.Blob.Properties.ContentLength ?? 0, item.Blob.Properties.ETag ?? default);
                else if (NodeBlobs.TryParseSnapshot(leaf, out var segment))
                    snapshots.Add(new SnapshotBlobName(leaf, segment));
            }
        }
        catch (RequestFailedException exception) when (exception.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            // Nothing was ever written here.
        }
        return new NodeListing(segments, snapshots);
    }
}

/// <summary>A segment as listed: its full name, length and ETag.</summary>
internal readonly record struct SegmentBlob(string Name, long Length, ETag ETag);

/// <summary>A snapshot blob as listed: its name inside the node folder and the segment it was staged for.</summary>
internal readonly record struct SnapshotBlobName(string Leaf, long Segment);
