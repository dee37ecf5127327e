namespace OrleansNodes.Core.Tests.Durability;

/// <summary>
/// <see cref="DurableImage.Apply"/> is the reference every storage backend is tested against, so
/// its semantics get their own tests: a batch's normalized writes give the same log as its
/// operations applied one by one.
/// </summary>
public class DurableImageTests
{
    private static DurableImage WithLog(params long[] indexes)
    {
        var image = DurableImage.Empty;
        var writer = new DurableWriter();
        foreach (var index in indexes) writer.Put(index, "e" + index);
        return image.Apply(writer.Drain());
    }

    [Fact]
    public void Flush_SameHardStateAndNoWrites_ReturnsTheSameImage()
    {
        var image = DurableImage.Initial(new Hard(1));

        Assert.Same(image, image.Flush(new Hard(1), DurableWrites.None));
    }

    [Fact]
    public void Flush_HardStateChangedByValue_ReplacesIt()
    {
        var image = DurableImage.Initial(new Hard(1));

        var flushed = image.Flush(new Hard(2), DurableWrites.None);

        Assert.Equal(new Hard(2), flushed.Hard);
        Assert.Equal(new Hard(1), image.Hard);
    }

    [Fact]
    public void Apply_TruncateAndCompact_DeleteTheSuffixAndThePrefixBeforeThePuts()
    {
        var image = WithLog(1, 2, 3, 4, 5, 6);
        var writer = new DurableWriter();
        writer.CompactThrough(2);
        writer.TruncateFrom(5);
        writer.Put(5, "again");

        var applied = image.Apply(writer.Drain());

        Assert.Equal([3L, 4L, 5L], applied.Log.Keys);
        Assert.Equal("again", applied.Log[5]);
    }

    [Fact]
    public void Apply_Snapshot_ReplacesTheLogWithThePutsThatFollowIt()
    {
        var image = WithLog(1, 2, 3);
        var writer = new DurableWriter();
        writer.Snapshot(3, ["s0", "s1"]);
        writer.Put(3, "kept");
        writer.Put(4, "next");

        var applied = image.Apply(writer.Drain());

        Assert.Equal(3, applied.Snapshot!.Index);
        Assert.Equal(["s0", "s1"], applied.Snapshot.Chunks);
        Assert.Equal([3L, 4L], applied.Log.Keys);
    }

    [Fact]
    public void Apply_NormalizedBatch_SameLogAsEveryOperationAppliedAlone()
    {
        // A seeded mix of operations, applied as one batch and one by one.
        var random = SeededRandom.From(42);
        for (var trial = 0; trial < 200; trial++)
        {
            var batch = new DurableWriter();
            var stepwise = WithLog(1, 2, 3, 4, 5);
            var together = stepwise;
            for (var op = 0; op < 6; op++)
            {
                int kind, index;
                (kind, random) = random.Next(0, 10);
                (index, random) = random.Next(0, 9);
                var single = new DurableWriter();
                foreach (var writer in new[] { batch, single })
                {
                    if (kind < 6) writer.Put(index, $"t{trial}.{op}");
                    else if (kind < 8) writer.TruncateFrom(index);
                    else if (kind < 9) writer.CompactThrough(index);
                    else writer.Snapshot(index, [$"snap{trial}.{op}"]);
                }
                stepwise = stepwise.Apply(single.Drain());
            }
            together = together.Apply(batch.Drain());

            Assert.Equal(stepwise.Log, together.Log);
            Assert.Equal(stepwise.Snapshot?.Index, together.Snapshot?.Index);
        }
    }

    private sealed record Hard(int Value);
}
