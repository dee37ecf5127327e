namespace OrleansNodes.Core.Tests;

public class TickTimerTests
{
    [Fact]
    public void Advance_TimeoutTicks_Expires()
    {
        var timer = TickTimer.Start(3);
        timer = timer.Advance().Advance();
        Assert.False(timer.IsExpired);
        Assert.Equal(1, timer.RemainingTicks);
        timer = timer.Advance();
        Assert.True(timer.IsExpired);
        Assert.False(timer.Restart().IsExpired);
    }

    [Fact]
    public void StartRandomized_ManySeeds_TimeoutWithinBoundsAndVaries()
    {
        var timeouts = new HashSet<int>();
        for (ulong seed = 0; seed < 200; seed++)
        {
            var (timer, _) = TickTimer.StartRandomized(SeededRandom.From(seed), 10, 20);
            Assert.InRange(timer.TimeoutTicks, 10, 20);
            timeouts.Add(timer.TimeoutTicks);
        }
        Assert.True(timeouts.Count > 5, $"only {timeouts.Count} distinct timeouts");
    }
}
