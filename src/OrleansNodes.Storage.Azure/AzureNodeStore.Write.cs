using System.Buffers.Binary;
using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using OrleansNodes.Hosting.Storage;

namespace OrleansNodes.Storage.Azure;

public sealed partial class AzureNodeStore
{
    /// <inheritdoc/>
    protected override async Task<long> WriteCoreAsync(string key, NodeWrite write, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        var folder = NodeBlobs.Folder(key);
        var expected = write.ExpectedVersion;
        // Versions only grow, so a remembered tail already past the expected version is proof enough.
        var tail = _tails.TryGetValue(key, out var known) && known.Version >= expected
            ? known
            : (await LoadAsync(key, withLog: false, cancellationToken)).Tail;
        var nonce = BinaryPrimitives.ReadUInt64LittleEndian(RandomNumberGenerator.GetBytes(8));
        SnapshotReference? staged = null;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                if (tail.Version != expected)
                {
                    // Our record is there although the append that wrote it reported a failure.
                    if (tail.Version == expected + 1 && tail.Nonce == nonce) return await CommittedAsync(key, folder, tail, staged, write, cancellationToken);
                    throw Stale(key, expected, $"its stored version is {tail.Version}");
                }
                if (attempt > WriteAttemptsMax)
                    throw new IOException($"node {key}: the end of its log kept moving during {WriteAttemptsMax} tries of one write, its version staying {expected}");

                if (!tail.SegmentExists)
                {
                    await CreateSegmentAsync(folder, tail.Segment, cancellationToken);
                    Reached(SegmentCreatedPoint);
                    tail = await RefreshAsync(key, tail, expected, cancellationToken);
                    continue;
                }
                if (write.Snapshot is { } snapshot && staged is null)
                {
                    // Named after the segment its base record will start; see the class remarks.
                    var target = tail.SegmentRecords == 0 && !tail.Sealed ? tail.Segment : tail.Segment + 1;
                    staged = await StageSnapshotAsync(folder, target, snapshot, cancellationToken);
                    Reached(SnapshotStagedPoint);
                }

                var parts = Encode(write, tail, staged, nonce);
                if (parts.Count + 1 > SegmentBlocksMax)
                    throw new ArgumentException($"node {key}: a flush of {parts.Count} append blocks does not fit a segment of {SegmentBlocksMax}", nameof(write));
                var isBase = expected == 0 || staged is not null;
                // One block is always kept free for the seal, so a full segment can still be closed.
                if (tail.Sealed || (isBase && tail.SegmentRecords > 0) || tail.Parts + parts.Count + 1 > SegmentBlocksMax)
                {
                    tail = await SwitchSegmentAsync(key, folder, tail, expected, nonce, cancellationToken);
                    continue;
                }
                if (await AppendAsync(folder, tail, parts, cancellationToken) is not { } appended)
                {
                    tail = await RefreshAsync(key, tail, expected, cancellationToken);
                    continue;
                }
                tail = appended with
                {
                    Version = expected + 1,
                    Nonce = nonce,
                    Definition = expected == 0 ? write.Definition! : tail.Definition,
                    Hard = write.Hard ?? tail.Hard,
                    Snapshot = staged ?? tail.Snapshot,
                    CommittedLength = appended.Length,
                    CommittedParts = appended.Parts,
                    SegmentRecords = tail.SegmentRecords + 1,
                };
                return await CommittedAsync(key, folder, tail, staged, write, cancellationToken);
            }
        }
        catch (StaleWriteException)
        {
            _tails.TryRemove(key, out _);
            // Nobody else can commit a snapshot staged under this writer's fresh name.
            if (staged is not null) await DeleteQuietlyAsync(folder + staged.Leaf, cancellationToken);
            throw;
        }
    }

    /// <summary>The record of <paramref name="write"/> on <paramref name="tail"/>, in append blocks.</summary>
    private List<byte[]> Encode(NodeWrite write, NodeTail tail, SnapshotReference? staged, ulong nonce)
    {
        if (write.ExpectedVersion == 0 || staged is not null)
        {
            var definition = write.ExpectedVersion == 0 ? write.Definition! : tail.Definition;
            var payload = RecordPayload.EncodeBase(definition, write.Hard ?? tail.Hard, staged, write.Puts);
            return RecordFrame.Encode(RecordKind.Base, write.ExpectedVersion + 1, nonce, payload, AppendBlockBytesMax);
        }
        var delta = RecordPayload.EncodeDelta(write.Hard, write.TruncateFrom, write.CompactThrough, write.Puts);
        return RecordFrame.Encode(RecordKind.Delta, write.ExpectedVersion + 1, nonce, delta, AppendBlockBytesMax);
    }

    /// <summary>
    /// Moves the log to the next segment: seals the current one (unless it is sealed already),
    /// creates the next, and returns the tail a listing then shows.
    /// </summary>
    private async Task<NodeTail> SwitchSegmentAsync(string key, string folder, NodeTail tail, long expected, ulong nonce, CancellationToken cancellationToken)
    {
        if (!tail.Sealed)
        {
            var seal = RecordFrame.Encode(RecordKind.Seal, tail.Version, nonce, [], AppendBlockBytesMax);
            if (await AppendAsync(folder, tail, seal, cancellationToken) is not { } sealedTail)
                return await RefreshAsync(key, tail, expected, cancellationToken);
            tail = sealedTail with { Sealed = true, CommittedLength = sealedTail.Length, CommittedParts = sealedTail.Parts };
            Reached(SegmentSealedPoint);
        }
        await CreateSegmentAsync(folder, tail.Segment + 1, cancellationToken);
        Reached(SegmentCreatedPoint);
        // The listing is what makes the new segment's ETag trustworthy (class remarks).
        return await RefreshAsync(key, tail, expected, cancellationToken);
    }

    /// <summary>
    /// Appends <paramref name="parts"/> at the end of <paramref name="tail"/>'s segment, each on the
    /// condition that the blob is as the previous append left it. Returns the tail after them, or
    /// null when an append was refused (someone else appended, or the segment is gone).
    /// </summary>
    private async Task<NodeTail?> AppendAsync(string folder, NodeTail tail, List<byte[]> parts, CancellationToken cancellationToken)
    {
        var client = _container.GetAppendBlobClient(NodeBlobs.Segment(folder, tail.Segment));
        var length = tail.Length;
        var etag = tail.ETag;
        for (var index = 0; index < parts.Count; index++)
        {
            if (index > 0) Reached(RecordPartAppendedPoint);
            var options = new AppendBlobAppendBlockOptions
            {
                Conditions = new AppendBlobRequestConditions { IfAppendPositionEqual = length, IfMatch = etag },
            };
            try
            {
                using var content = new MemoryStream(parts[index], writable: false);
                etag = (await client.AppendBlockAsync(content, options, cancellationToken)).Value.ETag;
            }
            catch (RequestFailedException exception) when (exception.Status is 404 or 409 or 412)
            {
                return null;
            }
            length += parts[index].Length;
        }
        return tail with { Length = length, ETag = etag, Parts = tail.Parts + parts.Count };
    }

    /// <summary>
    /// The tail after whatever was appended since <paramref name="tail"/>, read from the listing
    /// and the bytes past what the tail already covers.
    /// </summary>
    /// <exception cref="StaleWriteException">The log moved on past <paramref name="tail"/>'s segment (a newer base record made it obsolete).</exception>
    private async Task<NodeTail> RefreshAsync(string key, NodeTail tail, long expected, CancellationToken cancellationToken)
    {
        if (!tail.SegmentExists) return (await LoadAsync(key, withLog: false, cancellationToken)).Tail;
        var folder = NodeBlobs.Folder(key);
        for (var attempt = 1; attempt <= ReadAttemptsMax; attempt++)
        {
            var listing = await NodeListing.ReadAsync(_container, folder, cancellationToken);
            var (refreshed, gone) = await ContinueAsync(listing, tail, cancellationToken);
            if (refreshed is not null)
            {
                Remember(key, refreshed);
                return refreshed;
            }
            if (gone) throw Stale(key, expected, $"its log moved past segment {tail.Segment}");
        }
        // Someone keeps appending: a live writer, so this one is the stale one.
        throw Stale(key, expected, $"another writer kept appending during {ReadAttemptsMax} reads");
    }

    /// <summary>
    /// Continues <paramref name="tail"/> through the segments <paramref name="listing"/> shows.
    /// Null and gone: the tail's segment is no longer part of the log; null and not gone: the
    /// highest segment changed after the listing.
    /// </summary>
    private async Task<(NodeTail? Tail, bool Gone)> ContinueAsync(NodeListing listing, NodeTail tail, CancellationToken cancellationToken)
    {
        // Blobs are append-only: shorter than the tail means another blob under the same name.
        if (!listing.Segments.TryGetValue(tail.Segment, out var current) || current.Length < tail.Length) return (null, true);
        var highest = listing.Highest!.Value;
        var scan = new NodeScan(tail);
        var result = tail;
        for (var number = tail.Segment; number <= highest; number++)
        {
            if (!listing.Segments.TryGetValue(number, out var blob)) return (null, true);
            var own = number == tail.Segment;
            if (!own && !result.Sealed) return (null, true);
            if (own && blob.Length == tail.Length)
            {
                result = result with { ETag = blob.ETag };
                continue;
            }
            if (own && tail.Sealed) throw ParsedSegment.Damaged(Display(blob.Name), $"it grew past its seal at byte {tail.CommittedLength}");
            var from = own ? tail.CommittedLength : 0;
            if (await DownloadAsync(blob, from, number == highest, cancellationToken) is not { } data) return (null, false);
            var parsed = ParsedSegment.Parse(data, from, Display(blob.Name));
            foreach (var record in parsed.Records) scan.Apply(record, Display(blob.Name));
            if (parsed.Seal is { } seal) scan.Apply(seal, Display(blob.Name));
            var partsBefore = own ? tail.CommittedParts : 0;
            result = result with
            {
                Segment = number,
                ETag = blob.ETag,
                Length = parsed.End,
                CommittedLength = parsed.CommittedEnd,
                Parts = partsBefore + parsed.Parts,
                CommittedParts = partsBefore + parsed.CommittedParts,
                SegmentRecords = (own ? tail.SegmentRecords : 0) + parsed.Records.Count,
                Sealed = parsed.Seal is not null,
            };
        }
        return (result with { Version = scan.Version, Nonce = scan.Nonce, Definition = scan.Definition, Hard = scan.Hard, Snapshot = scan.Snapshot }, false);
    }

    /// <summary>Uploads a snapshot under a fresh name for segment <paramref name="segment"/>.</summary>
    private Task<SnapshotReference> StageSnapshotAsync(string folder, long segment, SnapshotWrite snapshot, CancellationToken cancellationToken)
    {
        var leaf = NodeBlobs.NewSnapshotLeaf(segment);
        return SnapshotBlob.StageAsync(_container.GetBlockBlobClient(folder + leaf), leaf, snapshot, SnapshotBlockBytes,
            () => Reached(SnapshotBlockStagedPoint), cancellationToken);
    }

    /// <summary>A committed write: remembers its tail, cleans up after a snapshot, returns its payload bytes.</summary>
    private async Task<long> CommittedAsync(string key, string folder, NodeTail tail, SnapshotReference? staged, NodeWrite write, CancellationToken cancellationToken)
    {
        Remember(key, tail);
        var bytes = (write.Hard?.Length ?? 0) + write.Puts.Sum(put => (long)put.Payload.Length);
        // A base record repeats the definition and the hard state, so they are written again.
        if (write.ExpectedVersion == 0 || staged is not null) bytes += tail.Definition.Length + (write.Hard is null ? tail.Hard.Length : 0);
        if (staged is null) return bytes;
        Reached(RecordAppendedPoint);
        await CleanUpAsync(folder, tail, cancellationToken);
        return bytes + staged.Bytes;
    }

    /// <summary>
    /// Deletes what the base record at the start of <paramref name="tail"/>'s segment made
    /// obsolete: the segments before it, and snapshots staged for it or earlier other than its own.
    /// Best effort: what is left is deleted by a later snapshot's cleanup.
    /// </summary>
    private async Task CleanUpAsync(string folder, NodeTail tail, CancellationToken cancellationToken)
    {
        NodeListing listing;
        try
        {
            listing = await NodeListing.ReadAsync(_container, folder, cancellationToken);
        }
        catch (RequestFailedException)
        {
            return;
        }
        foreach (var (number, blob) in listing.Segments)
        {
            if (number >= tail.Segment) break;
            await DeleteQuietlyAsync(blob.Name, cancellationToken);
        }
        Reached(SegmentsDeletedPoint);
        foreach (var snapshot in listing.Snapshots)
        {
            if (snapshot.Segment <= tail.Segment && snapshot.Leaf != tail.Snapshot?.Leaf)
                await DeleteQuietlyAsync(folder + snapshot.Leaf, cancellationToken);
        }
    }

    private async Task DeleteQuietlyAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await _container.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        }
        catch (RequestFailedException)
        {
            // Cleanup is best effort; the write it follows has succeeded.
        }
    }

    private static StaleWriteException Stale(string key, long expected, string why) =>
        new($"node {key}: a write expecting version {expected} was refused: {why}");
}
