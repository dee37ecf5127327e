namespace OrleansNodes.Core.Tests;

public class PeerTicksTests
{
    [Fact]
    public void Tick_SilentPeer_BecomesSilentAfterTimeout()
    {
        var ticks = PeerTicks.Create(3);
        for (var i = 0; i < 4; i++) ticks = ticks.Tick().Heard(new NodeId(1));
        Assert.True(ticks.IsSilent(new NodeId(2), 4));
        Assert.False(ticks.IsSilent(new NodeId(1), 1));
        Assert.Equal(4, ticks.TicksSinceHeard(new NodeId(2)));
    }

    [Fact]
    public void Heard_AlreadyFresh_ReturnsSameInstance()
    {
        var ticks = PeerTicks.Create(2);
        Assert.Same(ticks, ticks.Heard(new NodeId(0)));
    }

    [Fact]
    public void Equals_SameCounts_AreEqual() =>
        Assert.Equal(PeerTicks.Create(3).Tick(), PeerTicks.Create(3).Tick());
}
