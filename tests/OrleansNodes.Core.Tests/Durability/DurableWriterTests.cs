namespace OrleansNodes.Core.Tests.Durability;

public class DurableWriterTests
{
    [Fact]
    public void Drain_NothingWritten_IsNone()
    {
        var writer = new DurableWriter();

        Assert.Same(DurableWrites.None, writer.Drain());
    }

    [Fact]
    public void Drain_SameIndexPutTwice_LastPutWinsInIndexOrder()
    {
        var writer = new DurableWriter();
        writer.Put(5, "a");
        writer.Put(3, "b");
        writer.Put(5, "c");

        var writes = writer.Drain();

        Assert.Equal([new DurableEntry(3, "b"), new DurableEntry(5, "c")], writes.Puts.AsEnumerable());
        Assert.True(writer.IsEmpty);
    }

    [Fact]
    public void TruncateFrom_AfterPuts_RemovesThePutsItCoversAndKeepsTheLowestPoint()
    {
        var writer = new DurableWriter();
        writer.Put(4, "a");
        writer.Put(7, "b");
        writer.TruncateFrom(6);
        writer.Put(8, "c");
        writer.TruncateFrom(9);

        var writes = writer.Drain();

        Assert.Equal(6, writes.TruncateFrom);
        Assert.Equal([new DurableEntry(4, "a"), new DurableEntry(8, "c")], writes.Puts.AsEnumerable());
    }

    [Fact]
    public void Snapshot_AfterPutsAndDeletions_ResetsThemAndKeepsLaterPuts()
    {
        var writer = new DurableWriter();
        writer.Put(1, "old");
        writer.CompactThrough(1);
        writer.TruncateFrom(5);
        writer.Snapshot(10, ["chunk"]);
        writer.Put(11, "new");

        var writes = writer.Drain();

        Assert.Equal(10, writes.Snapshot!.Index);
        Assert.Null(writes.TruncateFrom);
        Assert.Null(writes.CompactThrough);
        Assert.Equal([new DurableEntry(11, "new")], writes.Puts.AsEnumerable());
    }

    [Fact]
    public void Snapshot_Chunks_AreNotEnumeratedByTheWriter()
    {
        var enumerated = false;
        IEnumerable<object> Chunks()
        {
            enumerated = true;
            yield return "chunk";
        }

        var writer = new DurableWriter();
        writer.Snapshot(3, Chunks());
        var writes = writer.Drain();

        Assert.False(enumerated);
        Assert.Equal(["chunk"], writes.Snapshot!.Chunks);
        Assert.True(enumerated);
    }
}
