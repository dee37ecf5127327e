using Azure;

namespace OrleansNodes.Storage.Azure;

/// <summary>
/// What a writer knows of a node's log, as of a read or of its own last append: the version and
/// what a base record must repeat (definition, hard state, snapshot), and where the next record
/// goes (segment, length, ETag, blocks used). A tail is trusted only when it comes from a listing
/// that showed its segment as the highest, or from a conditional append on a trusted tail (see
/// <see cref="AzureNodeStore"/>).
/// </summary>
/// <param name="Version">Committed records so far.</param>
/// <param name="Nonce">The nonce of the last committed record.</param>
/// <param name="Definition">The cluster definition (empty before the first write).</param>
/// <param name="Hard">The last hard state written.</param>
/// <param name="Snapshot">The current snapshot, or null.</param>
/// <param name="Segment">The last segment.</param>
/// <param name="SegmentExists">Whether that segment's blob exists (false only before the first write).</param>
/// <param name="ETag">The segment's ETag: the condition of the next append.</param>
/// <param name="Length">The segment's length: where the next append goes.</param>
/// <param name="CommittedLength">Where the segment's last complete record (or its seal) ends.</param>
/// <param name="Parts">Blocks in the segment.</param>
/// <param name="CommittedParts">Blocks up to <paramref name="CommittedLength"/>.</param>
/// <param name="SegmentRecords">Complete records in the segment.</param>
/// <param name="Sealed">Whether the segment is sealed: the next record goes into a new one.</param>
internal sealed record NodeTail(
    long Version,
    ulong Nonce,
    byte[] Definition,
    byte[] Hard,
    SnapshotReference? Snapshot,
    long Segment,
    bool SegmentExists,
    ETag ETag,
    long Length,
    long CommittedLength,
    int Parts,
    int CommittedParts,
    int SegmentRecords,
    bool Sealed)
{
    /// <summary>A node never written, with no segment yet.</summary>
    public static readonly NodeTail Absent = new(0, 0, [], [], null, 0, false, default, 0, 0, 0, 0, 0, false);

    /// <summary>Whether this tail is further along the log than <paramref name="other"/>.</summary>
    public bool IsAfter(NodeTail other) =>
        (Version, Segment, Length).CompareTo((other.Version, other.Segment, other.Length)) > 0;
}
