namespace OrleansNodes.Core.Tests;

public class SeededRandomTests
{
    [Fact]
    public void Next_SameSeed_DrawsSameSequence()
    {
        var a = SeededRandom.From(42);
        var b = SeededRandom.From(42);
        for (var i = 0; i < 100; i++)
        {
            (var x, a) = a.Next(0, 1000);
            (var y, b) = b.Next(0, 1000);
            Assert.Equal(x, y);
        }
    }

    [Fact]
    public void Next_ManyDraws_StayInRangeAndCoverIt()
    {
        var random = SeededRandom.From(7);
        var seen = new bool[10];
        for (var i = 0; i < 1000; i++)
        {
            (var value, random) = random.Next(5, 15);
            Assert.InRange(value, 5, 14);
            seen[value - 5] = true;
        }
        Assert.All(seen, Assert.True);
    }

    [Fact]
    public void Next_EmptyRange_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SeededRandom.From(1).Next(3, 3));

    [Fact]
    public void Mix_DifferentSalts_GiveDifferentSeeds() =>
        Assert.NotEqual(SeededRandom.Mix(1, 0), SeededRandom.Mix(1, 1));
}
