namespace OrleansNodes.Storage.Azure;

/// <summary>
/// A snapshot as a base record names it: the blob (its name inside the node folder), the
/// snapshot's index, and how many chunks and bytes the blob must hold, so that a reader can tell a
/// whole snapshot from a damaged one.
/// </summary>
internal sealed record SnapshotReference(string Leaf, long Index, int ChunkCount, long Bytes);
