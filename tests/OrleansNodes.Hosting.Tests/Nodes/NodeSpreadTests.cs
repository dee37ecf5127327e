using System.Net;
using Orleans.Runtime;
using OrleansNodes.Hosting.Nodes;

namespace OrleansNodes.Hosting.Tests.Nodes;

public sealed class NodeSpreadTests
{
    private static readonly SiloAddress[] ThreeSilos = [Silo(11111), Silo(11112), Silo(11113)];

    [Fact]
    public void Choose_ThreeNodesOnThreeSilos_EachNodeOnItsOwnSilo()
    {
        var placed = Enumerable.Range(0, 3).Select(i => NodeSpread.Choose($"kv/{i}", ThreeSilos)).ToArray();

        Assert.Equal(3, placed.Distinct().Count());
    }

    [Fact]
    public void Choose_SilosListedInAnyOrder_SameSilo()
    {
        var reversed = ThreeSilos.Reverse().ToArray();

        for (var i = 0; i < 5; i++)
            Assert.Equal(NodeSpread.Choose($"kv/{i}", ThreeSilos), NodeSpread.Choose($"kv/{i}", reversed));
    }

    [Fact]
    public void Choose_FiveNodesOnThreeSilos_NoSiloHoldsMoreThanTwo()
    {
        var placed = Enumerable.Range(0, 5).Select(i => NodeSpread.Choose($"big/{i}", ThreeSilos));

        Assert.All(placed.GroupBy(s => s), group => Assert.InRange(group.Count(), 1, 2));
    }

    [Fact]
    public void Choose_ManyClusters_FirstNodesStartOnEverySilo()
    {
        // Leaders tend to be low-numbered nodes; clusters must not all start on one silo.
        var firsts = Enumerable.Range(0, 30).Select(c => NodeSpread.Choose($"cluster{c}/0", ThreeSilos)).Distinct().Count();

        Assert.Equal(3, firsts);
    }

    [Fact]
    public void Choose_OneSiloLeft_EveryNodeOnIt()
    {
        var survivor = ThreeSilos[1];

        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(survivor, NodeSpread.Choose($"kv/{i}", [survivor])));
    }

    [Fact]
    public void Choose_NoSilo_Throws()
    {
        Assert.Throws<OrleansException>(() => NodeSpread.Choose("kv/0", []));
    }

    private static SiloAddress Silo(int port) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 1);
}
