using OrleansNodes.Storage.Azure;

namespace OrleansNodes.Storage.Tests.Azure;

/// <summary>Blob names: readable for ordinary node keys, distinct and safe for odd ones.</summary>
public sealed class NodeBlobsTests
{
    [Fact]
    public void Folder_ClusterAndIndex_OneFolderLevelEach()
    {
        Assert.Equal("nodes/kv/0/", NodeBlobs.Folder("kv/0"));
        Assert.Equal("nodes/kv.eu-1_a/12/", NodeBlobs.Folder("kv.eu-1_a/12"));
    }

    [Fact]
    public void Folder_SegmentsUrlsWouldRewrite_EscapedAndDistinct()
    {
        string[] keys = ["a b/0", "../0", "./0", "/0", "%/0", "%25/0", "é/0", "a/0"];

        var folders = keys.Select(NodeBlobs.Folder).ToList();

        Assert.Equal("nodes/a%20b/0/", folders[0]);
        Assert.Equal("nodes/%2E%2E/0/", folders[1]);
        Assert.Equal("nodes/%/0/", folders[3]);
        Assert.Equal("nodes/%C3%A9/0/", folders[6]);
        Assert.Equal(keys.Length, folders.Distinct().Count());
    }

    [Fact]
    public void TryParseSegment_NamesItMade_RoundTrip()
    {
        var leaf = NodeBlobs.Segment("", 42);

        Assert.Equal("log-0000000042", leaf);
        Assert.True(NodeBlobs.TryParseSegment(leaf, out var number));
        Assert.Equal(42, number);
        Assert.False(NodeBlobs.TryParseSegment("log-42", out _));
        Assert.True(NodeBlobs.TryParseSnapshot(NodeBlobs.NewSnapshotLeaf(7), out var segment));
        Assert.Equal(7, segment);
    }
}
