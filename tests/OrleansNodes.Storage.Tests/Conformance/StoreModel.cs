using System.Text;
using OrleansNodes.Hosting.Storage;

namespace OrleansNodes.Storage.Tests.Conformance;

/// <summary>
/// The reference a backend is read back against: what a read must return after the same writes
/// (<c>DurableImage.Apply</c>'s semantics, on bytes).
/// </summary>
public sealed class StoreModel
{
    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    public long Version { get; private set; }

    public string Hard { get; private set; } = "";

    public (long Index, List<string> Chunks)? Snapshot { get; private set; }

    public SortedDictionary<long, string> Log { get; } = [];

    public void Apply(NodeWrite write)
    {
        Version = write.ExpectedVersion + 1;
        if (write.Hard is { } hard) Hard = Text(hard);
        if (write.Snapshot is { } snapshot)
        {
            Snapshot = (snapshot.Index, [.. snapshot.Chunks.Select(Text)]);
            Log.Clear();
        }
        else
        {
            foreach (var index in Log.Keys.Where(i => i >= write.TruncateFrom || i <= write.CompactThrough).ToList()) Log.Remove(index);
        }
        foreach (var put in write.Puts) Log[put.Index] = Text(put.Payload);
    }

    public void AssertRead(StoredNode? read)
    {
        Assert.NotNull(read);
        Assert.Equal(Version, read.Version);
        Assert.Equal("definition", Text(read.Definition));
        Assert.Equal(Hard, Text(read.Hard));
        Assert.Equal(Snapshot?.Index, read.Snapshot?.Index);
        if (Snapshot is { } snapshot) Assert.Equal(snapshot.Chunks, read.Snapshot!.Chunks.Select(Text));
        Assert.Equal(Log.Select(e => (e.Key, e.Value)), read.Log.Select(e => (e.Index, Text(e.Payload))));
    }
}
