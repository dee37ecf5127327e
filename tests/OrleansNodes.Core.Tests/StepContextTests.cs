namespace OrleansNodes.Core.Tests;

public class StepContextTests
{
    private static readonly NodeConfig<int> Config = NodeConfig<int>.Cluster(3, 0, seed: 1)[1];

    [Fact]
    public void Broadcast_ThreeNodes_SendsToTheTwoPeers()
    {
        var context = new StepContext<int, string, string>(Config);
        context.Broadcast("hello");
        var outbox = context.Drain();
        Assert.Equal([new NodeId(0), new NodeId(2)], outbox.Sends.Select(s => s.To));
        Assert.All(outbox.Sends, s => Assert.Equal(new NodeId(1), s.From));
    }

    [Fact]
    public void SendToAll_ThreeNodes_IncludesSelf()
    {
        var context = new StepContext<int, string, string>(Config);
        context.SendToAll("x");
        Assert.Equal(3, context.SendCount);
    }

    [Fact]
    public void Drain_AfterDrain_IsEmpty()
    {
        var context = new StepContext<int, string, string>(Config);
        context.Reply(new ClientId(4), 9, "ok");
        var first = context.Drain();
        Assert.Single(first.Replies);
        Assert.Same(Outbox<string, string>.Empty, context.Drain());
    }

    [Fact]
    public void Cluster_EachNode_GetsItsOwnSeed()
    {
        var configs = NodeConfig<int>.Cluster(5, 0, seed: 99);
        Assert.Equal(5, configs.Select(c => c.Seed).Distinct().Count());
        Assert.Equal(3, configs[0].Majority);
    }
}
