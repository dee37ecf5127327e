using System.Buffers.Binary;
using System.IO.Hashing;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using OrleansNodes.Hosting.Storage;

namespace OrleansNodes.Storage.Azure;

/// <summary>
/// The layout of a snapshot block blob: a header, then each chunk length-prefixed with its CRC-32,
/// so chunk boundaries survive whatever the block boundaries are. Blocks are cut at about
/// <c>blockBytes</c> while the chunks are enumerated (lazily, once), so neither a block's size nor
/// the count of blocks depends on how small the chunks are; the block list is committed last, which
/// makes the blob appear whole or not at all.
/// </summary>
/// <remarks>
/// <code>
/// header: magic "ONSS" (4), format 1 (1), zero (3), snapshot index int64
/// chunk:  length int32, CRC-32 of the chunk (4), the chunk
/// </code>
/// </remarks>
internal static class SnapshotBlob
{
    private const uint Magic = 0x53534E4F; // "ONSS" as bytes
    private const byte Format = 1;
    private const int HeaderBytes = 16;
    private const int ChunkHeaderBytes = 8;

    /// <summary>
    /// Uploads <paramref name="snapshot"/> to <paramref name="blob"/>, a fresh name, calling
    /// <paramref name="blockStaged"/> after each block.
    /// </summary>
    public static async Task<SnapshotReference> StageAsync(
        BlockBlobClient blob, string leaf, SnapshotWrite snapshot, int blockBytes, Action blockStaged, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        using var buffer = new MemoryStream();
        WriteHeader(buffer, snapshot.Index);
        var chunks = 0;
        var bytes = 0L;
        foreach (var chunk in snapshot.Chunks)
        {
            ArgumentNullException.ThrowIfNull(chunk);
            WriteChunk(buffer, chunk);
            chunks++;
            bytes += chunk.Length;
            if (buffer.Length >= blockBytes) await StageBlockAsync(blob, ids, buffer, blockStaged, cancellationToken);
        }
        if (buffer.Length > 0) await StageBlockAsync(blob, ids, buffer, blockStaged, cancellationToken);
        // The name is fresh; refusing to overwrite makes sure of it.
        await blob.CommitBlockListAsync(ids, new CommitBlockListOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken);
        return new SnapshotReference(leaf, snapshot.Index, chunks, bytes);
    }

    /// <summary>The snapshot <paramref name="reference"/> names, or null when its blob does not exist.</summary>
    /// <exception cref="InvalidDataException">The blob is not the whole snapshot the reference describes.</exception>
    public static async Task<StoredSnapshot?> ReadAsync(BlobClient blob, SnapshotReference reference, string display, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> data;
        try
        {
            data = (await blob.DownloadContentAsync(cancellationToken)).Value.Content.ToMemory();
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
        return Parse(data.Span, reference, display);
    }

    private static StoredSnapshot Parse(ReadOnlySpan<byte> span, SnapshotReference reference, string display)
    {
        if (span.Length < HeaderBytes || BinaryPrimitives.ReadUInt32LittleEndian(span) != Magic)
            throw ParsedSegment.Damaged(display, "it is not a snapshot (bad magic)");
        if (span[4] != Format)
            throw new InvalidDataException($"blob '{display}' holds a snapshot in format {span[4]}; this version reads format {Format}");
        if (BinaryPrimitives.ReadInt64LittleEndian(span[8..]) != reference.Index)
            throw ParsedSegment.Damaged(display, $"it holds snapshot {BinaryPrimitives.ReadInt64LittleEndian(span[8..])}, not {reference.Index}");
        var chunks = new List<byte[]>(Math.Min(reference.ChunkCount, 1 << 16));
        var bytes = 0L;
        var position = HeaderBytes;
        while (position < span.Length)
        {
            if (span.Length - position < ChunkHeaderBytes) throw ParsedSegment.Damaged(display, $"chunk {chunks.Count} at byte {position} is cut short");
            var length = BinaryPrimitives.ReadInt32LittleEndian(span[position..]);
            var checksum = BinaryPrimitives.ReadUInt32LittleEndian(span[(position + 4)..]);
            position += ChunkHeaderBytes;
            if (length < 0 || length > span.Length - position) throw ParsedSegment.Damaged(display, $"chunk {chunks.Count} runs past the end of the blob");
            var chunk = span.Slice(position, length);
            if (Crc32.HashToUInt32(chunk) != checksum) throw ParsedSegment.Damaged(display, $"checksum mismatch in chunk {chunks.Count}");
            chunks.Add(chunk.ToArray());
            bytes += length;
            position += length;
        }
        if (chunks.Count != reference.ChunkCount || bytes != reference.Bytes)
            throw ParsedSegment.Damaged(display, $"it holds {chunks.Count} chunks of {bytes} bytes; the log says {reference.ChunkCount} of {reference.Bytes}");
        return new StoredSnapshot(reference.Index, chunks);
    }

    private static void WriteHeader(MemoryStream buffer, long index)
    {
        Span<byte> header = stackalloc byte[HeaderBytes];
        header.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        header[4] = Format;
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], index);
        buffer.Write(header);
    }

    private static void WriteChunk(MemoryStream buffer, byte[] chunk)
    {
        Span<byte> header = stackalloc byte[ChunkHeaderBytes];
        BinaryPrimitives.WriteInt32LittleEndian(header, chunk.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Crc32.HashToUInt32(chunk));
        buffer.Write(header);
        buffer.Write(chunk);
    }

    private static async Task StageBlockAsync(BlockBlobClient blob, List<string> ids, MemoryStream buffer, Action blockStaged, CancellationToken cancellationToken)
    {
        // Block ids must all have the same length within a blob.
        var id = Convert.ToBase64String(BitConverter.GetBytes((long)ids.Count));
        buffer.Position = 0;
        await blob.StageBlockAsync(id, buffer, options: null, cancellationToken);
        ids.Add(id);
        buffer.SetLength(0);
        blockStaged();
    }
}
