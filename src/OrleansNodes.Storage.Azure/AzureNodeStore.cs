using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using OrleansNodes.Hosting.Storage;

namespace OrleansNodes.Storage.Azure;

/// <summary>
/// Node storage on Azure Blob Storage (docs/design-decisions.md §9). Azure cannot delete a range
/// of rows in the same atomic step as a conditional write, so each node is a log of flush records:
/// a flush appends one record to the node's current append blob, on the condition that the blob
/// is exactly as this writer last saw it, and a read replays the records since the last snapshot.
/// </summary>
/// <remarks>
/// <para><b>Layout</b>, for node key <c>kv/0</c> (see <see cref="NodeBlobs"/>):
/// <c>nodes/kv/0/log-0000000000</c>, <c>log-0000000001</c>, …: append blobs, the log
/// <i>segments</i>, each record one or more append blocks (framing: <see cref="RecordFrame"/>;
/// payloads: <see cref="RecordPayload"/>); <c>nodes/kv/0/snap-&lt;n&gt;-&lt;random&gt;</c>: block
/// blobs, snapshots (<see cref="SnapshotBlob"/>). Records are <i>base</i> (definition, whole hard
/// state, snapshot reference, puts: the node's first record and every snapshot commit, always the
/// first record of its segment), <i>delta</i> (what a flush changed) and <i>seal</i> (the segment
/// is closed; the log goes on in the next). Every record carries the node version it makes, so a
/// reader needs only the segments from the last base record on.</para>
/// <para><b>A flush</b> with no snapshot is one conditional append
/// (<c>If-Match</c> the ETag and <c>If-Append-Position</c> the length this writer last saw), or
/// one per part when the record is larger than <see cref="AppendBlockBytesMax"/>; the last part
/// commits it, and a record missing parts is torn: readers skip it and the next writer appends
/// after it. A flush with a snapshot stages the snapshot under a fresh name (one request per block
/// and one to commit the block list), seals the current segment with a conditional append, creates
/// the next segment, lists the folder to make sure that segment is the highest, and appends the base
/// record at its start; then it deletes the segments before it and the snapshots it made obsolete
/// (best effort). A segment about to pass <see cref="SegmentBlocksMax"/> blocks is sealed and the
/// record goes into the next one the same way, without a snapshot.</para>
/// <para><b>Staleness.</b> A refused append (412, or the blob gone) does not by itself mean another
/// writer won: the refused writer lists and reads what was appended since. If the node's version is
/// still the one it expected (only torn parts, or someone else's seal, came after), it tries again
/// where the log now ends; if it finds its own record (an append that succeeded but whose reply was
/// lost, so that the client's retry was refused), the write succeeded; otherwise the write is stale.</para>
/// <para><b>Why deleting old segments is safe.</b> Deleting a segment lets a slow writer create a new,
/// empty blob under its name later. Such a blob is never trusted: a writer appends only with an
/// ETag taken from a listing that showed the segment as the node's highest, or from its own
/// conditional append on such an ETag, and a deleted segment is always below the highest (segments
/// are deleted only below a committed base record, and the highest is never deleted). A staged
/// snapshot is named after the segment it was staged for; once a base record is committed in
/// segment <c>M</c>, every writer that staged for a segment up to <c>M</c> is stale, so cleanup
/// deletes those snapshots (crashed writers' leftovers included) and no other.</para>
/// <para>The store remembers, per node, the tail it last read or wrote, so a flush costs no read.
/// It neither owns nor disposes the container client.</para>
/// </remarks>
public sealed partial class AzureNodeStore : NodeStore
{
    /// <summary>Write point: a block of a snapshot was staged; the block list is not committed.</summary>
    public const string SnapshotBlockStagedPoint = "azure: snapshot block staged";

    /// <summary>Write point: the snapshot blob is committed; no record refers to it yet.</summary>
    public const string SnapshotStagedPoint = "azure: snapshot staged, not committed";

    /// <summary>Write point: the current segment is sealed; the next one is not created.</summary>
    public const string SegmentSealedPoint = "azure: segment sealed, next not created";

    /// <summary>Write point: the next segment is created; the record is not appended.</summary>
    public const string SegmentCreatedPoint = "azure: segment created, record not appended";

    /// <summary>Write point: a base record with a snapshot is committed; nothing obsolete is deleted yet.</summary>
    public const string RecordAppendedPoint = "azure: snapshot committed, obsolete blobs not deleted";

    /// <summary>Write point: obsolete segments are deleted; obsolete snapshots are not.</summary>
    public const string SegmentsDeletedPoint = "azure: obsolete segments deleted, snapshots not";

    /// <summary>
    /// Reached between the parts of a record larger than one append block. It is not among
    /// <see cref="WritePoints"/>, which every snapshot flush reaches: only large records reach it.
    /// </summary>
    public const string RecordPartAppendedPoint = "azure: record part appended, more to come";

    // Azure's limits: 50,000 blocks per append blob, 4 MiB per append block (the emulator's too).
    private const int AzureSegmentBlocksMax = 50_000;
    private const int AzureAppendBlockBytesMax = 4 * 1024 * 1024;

    // A read that keeps meeting a changed segment is racing a live writer: it is the stale one.
    private const int ReadAttemptsMax = 8;

    // Tries of one write that keep finding the version unchanged but the log moved (torn parts,
    // another writer's seal); more than a few means something keeps interfering.
    private const int WriteAttemptsMax = 8;

    private readonly BlobContainerClient _container;
    private readonly ConcurrentDictionary<string, NodeTail> _tails = new(StringComparer.Ordinal);
    private volatile bool _containerReady;

    /// <summary>
    /// A store in <paramref name="container"/> (the silo's node state container, named after its
    /// service id), which is created on first use if missing.
    /// </summary>
    public AzureNodeStore(BlobContainerClient container)
    {
        ArgumentNullException.ThrowIfNull(container);
        _container = container;
    }

    /// <summary>Blocks a segment may hold before the log goes on in the next one (Azure allows 50,000; tests use few).</summary>
    public int SegmentBlocksMax
    {
        get;
        init => field = value >= 3 && value <= AzureSegmentBlocksMax ? value : throw new ArgumentOutOfRangeException(nameof(SegmentBlocksMax), value, $"between 3 and {AzureSegmentBlocksMax}");
    } = AzureSegmentBlocksMax;

    /// <summary>Bytes of one append block, header included; a larger record is appended in parts.</summary>
    public int AppendBlockBytesMax
    {
        get;
        init => field = value > RecordFrame.HeaderBytes && value <= AzureAppendBlockBytesMax ? value : throw new ArgumentOutOfRangeException(nameof(AppendBlockBytesMax), value, $"above {RecordFrame.HeaderBytes} and at most {AzureAppendBlockBytesMax}");
    } = AzureAppendBlockBytesMax;

    /// <summary>Bytes of snapshot data per staged block (a larger chunk makes a larger block).</summary>
    public int SnapshotBlockBytes
    {
        get;
        init => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(SnapshotBlockBytes), value, "must be positive");
    } = 4 * 1024 * 1024;

    /// <inheritdoc/>
    public override string Description => $"azure blob container {_container.AccountName}/{_container.Name}";

    /// <inheritdoc/>
    public override IReadOnlyList<string> WritePoints { get; } =
        [SnapshotBlockStagedPoint, SnapshotStagedPoint, SegmentSealedPoint, SegmentCreatedPoint, RecordAppendedPoint, SegmentsDeletedPoint];

    /// <inheritdoc/>
    protected override async Task<StoredNode?> ReadCoreAsync(string key, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        var loaded = await LoadAsync(key, withLog: true, cancellationToken);
        Remember(key, loaded.Tail);
        if (loaded.Tail.Version == 0) return null;
        return new StoredNode(loaded.Tail.Version, loaded.Scan.Definition, loaded.Scan.Hard, loaded.Snapshot, loaded.Scan.Log);
    }

    /// <summary>
    /// Reads node <paramref name="key"/> from storage: lists its folder, reads the highest segment
    /// (on the condition that it is still as listed) and those before it back to the last base
    /// record, and replays them. A highest segment found sealed (its writer stopped before creating
    /// the next) gets its successor created here, and the read starts again.
    /// </summary>
    private async Task<Loaded> LoadAsync(string key, bool withLog, CancellationToken cancellationToken)
    {
        var folder = NodeBlobs.Folder(key);
        for (var attempt = 1; ; attempt++)
        {
            var last = attempt == ReadAttemptsMax;
            var listing = await NodeListing.ReadAsync(_container, folder, cancellationToken);
            if (listing.Highest is not { } highest) return new Loaded(NodeTail.Absent, new NodeScan(withLog), null);

            var (chain, problem) = await ReadChainAsync(folder, listing, highest, cancellationToken);
            if (chain is null)
            {
                if (!last) continue;
                throw problem is { Damaged: true }
                    ? ParsedSegment.Damaged(problem.Blob, problem.What)
                    : new IOException($"node {key} changed during {ReadAttemptsMax} consecutive reads: another writer is appending to it");
            }

            var scan = new NodeScan(withLog);
            foreach (var (_, blob, parsed) in chain)
            {
                foreach (var record in parsed.Records) scan.Apply(record, Display(blob.Name));
                if (parsed.Seal is { } seal) scan.Apply(seal, Display(blob.Name));
            }
            var (number, top, topParsed) = chain[^1];
            var tail = new NodeTail(scan.Version, scan.Nonce, scan.Definition, scan.Hard, scan.Snapshot,
                number, SegmentExists: true, top.ETag, topParsed.End, topParsed.CommittedEnd, topParsed.Parts, topParsed.CommittedParts,
                topParsed.Records.Count, topParsed.Seal is not null);
            if (tail.Sealed)
            {
                // The writer that sealed this segment stopped before creating the next: finish its
                // switch, so that the next read and write find the log's current segment.
                await CreateSegmentAsync(folder, number + 1, cancellationToken);
                continue;
            }

            StoredSnapshot? snapshot = null;
            if (withLog && scan.Snapshot is { } reference)
            {
                var name = folder + reference.Leaf;
                snapshot = await SnapshotBlob.ReadAsync(_container.GetBlobClient(name), reference, Display(name), cancellationToken);
                if (snapshot is null)
                {
                    // Gone because a newer snapshot replaced it since the listing, or lost.
                    var again = await NodeListing.ReadAsync(_container, folder, cancellationToken);
                    if (last || (again.Highest == highest && again.Segments[highest].ETag == top.ETag))
                        throw ParsedSegment.Damaged(Display(name), $"the snapshot that {Display(top.Name)} refers to is missing");
                    continue;
                }
            }
            return new Loaded(tail, scan, snapshot);
        }
    }

    /// <summary>
    /// The segments from the last base record up to <paramref name="highest"/>, parsed, or null and
    /// why when they no longer are as <paramref name="listing"/> saw them.
    /// </summary>
    private async Task<(List<(long Number, SegmentBlob Blob, ParsedSegment Parsed)>? Chain, ChainProblem? Problem)> ReadChainAsync(
        string folder, NodeListing listing, long highest, CancellationToken cancellationToken)
    {
        var chain = new List<(long, SegmentBlob, ParsedSegment)>();
        for (var number = highest; ; number--)
        {
            if (!listing.Segments.TryGetValue(number, out var blob))
                return (null, new ChainProblem(true, Display(NodeBlobs.Segment(folder, number)), "this segment of the log is missing"));
            // Only the highest segment still changes; reading it as listed keeps the chain consistent.
            var data = await DownloadAsync(blob, 0, number == highest, cancellationToken);
            if (data is null) return (null, new ChainProblem(false, Display(blob.Name), "changed while read"));
            var parsed = ParsedSegment.Parse(data.Value, 0, Display(blob.Name));
            if (number < highest && parsed.Seal is null)
                return (null, new ChainProblem(true, Display(blob.Name), "a later segment exists but this one is not sealed"));
            chain.Insert(0, (number, blob, parsed));
            if (parsed.Records is [{ Kind: RecordKind.Base }, ..] || number == 0) return (chain, null);
        }
    }

    /// <summary>
    /// The bytes of <paramref name="blob"/> from <paramref name="offset"/> on, up to its listed
    /// length; when <paramref name="asListed"/>, only if it is still as listed. Null when it
    /// changed or is gone.
    /// </summary>
    private async Task<ReadOnlyMemory<byte>?> DownloadAsync(SegmentBlob blob, long offset, bool asListed, CancellationToken cancellationToken)
    {
        if (offset >= blob.Length) return ReadOnlyMemory<byte>.Empty;
        var options = new BlobDownloadOptions
        {
            Range = offset > 0 ? new HttpRange(offset) : default,
            Conditions = asListed ? new BlobRequestConditions { IfMatch = blob.ETag } : null,
        };
        try
        {
            var result = await _container.GetBlobClient(blob.Name).DownloadContentAsync(options, cancellationToken);
            return result.Value.Content.ToMemory();
        }
        catch (RequestFailedException exception) when (exception.Status is 404 or 412)
        {
            return null;
        }
    }

    private async Task CreateSegmentAsync(string folder, long number, CancellationToken cancellationToken) =>
        await _container.GetAppendBlobClient(NodeBlobs.Segment(folder, number)).CreateIfNotExistsAsync(new AppendBlobCreateOptions(), cancellationToken);

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (_containerReady) return;
        await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        _containerReady = true;
    }

    // Keeps the furthest tail: two activations of one node may race to remember theirs.
    private void Remember(string key, NodeTail tail) =>
        _tails.AddOrUpdate(key, tail, (_, known) => tail.IsAfter(known) ? tail : known);

    private string Display(string blob) => $"{_container.Name}/{blob}";

    private sealed record Loaded(NodeTail Tail, NodeScan Scan, StoredSnapshot? Snapshot);

    private sealed record ChainProblem(bool Damaged, string Blob, string What);
}
