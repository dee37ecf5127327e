using OrleansNodes.Hosting.Clients;

namespace OrleansNodes.Hosting.Tests.Clusters;

public sealed class GatewayMemoryTests
{
    private readonly GatewayMemory _memory = new();

    [Fact]
    public void Answered_ThenAsked_NamesThatNodeForThatClusterOnly()
    {
        _memory.Answered("a", new NodeId(2));

        Assert.Equal(new NodeId(2), _memory.LastAnswered("a"));
        Assert.Null(_memory.LastAnswered("b"));
    }

    [Fact]
    public void Suspect_UntilItsTime_ThenTrustedAgain()
    {
        _memory.Suspect("a", new NodeId(1), until: 100);

        Assert.True(_memory.IsSuspect("a", new NodeId(1), now: 99));
        Assert.False(_memory.IsSuspect("a", new NodeId(1), now: 100));
        Assert.False(_memory.IsSuspect("a", new NodeId(0), now: 99));
        Assert.False(_memory.IsSuspect("b", new NodeId(1), now: 99));
    }

    [Fact]
    public void Answered_SuspectNode_ClearsTheSuspicion()
    {
        _memory.Suspect("a", new NodeId(1), until: long.MaxValue);

        _memory.Answered("a", new NodeId(1));

        Assert.False(_memory.IsSuspect("a", new NodeId(1), now: 0));
    }
}
