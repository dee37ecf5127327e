using System.Net;
using Orleans.Runtime;
using OrleansNodes.Core;
using OrleansNodes.Hosting.Placement;

namespace OrleansNodes.Hosting.Tests.Placement;

public sealed class NodeSpreadTests
{
    private static readonly SiloAddress[] ThreeSilos = [Silo(11111), Silo(11112), Silo(11113)];

    [Fact]
    public void Choose_NewClusterOnThreeSilos_EachNodeOnItsOwnSilo()
    {
        // Nodes of a new cluster are placed before any knows where the others are.
        var placed = Enumerable.Range(0, 3).Select(i => NodeSpread.Choose("kv", new NodeId(i), ThreeSilos, [])).ToArray();

        Assert.Equal(3, placed.Distinct().Count());
    }

    [Fact]
    public void Choose_SilosListedInAnyOrder_SameSilo()
    {
        var reversed = ThreeSilos.Reverse().ToArray();

        for (var i = 0; i < 5; i++)
            Assert.Equal(NodeSpread.Choose("kv", new NodeId(i), ThreeSilos, []), NodeSpread.Choose("kv", new NodeId(i), reversed, []));
    }

    [Fact]
    public void Choose_SiblingsKnown_GoesToTheSiloWithoutOne()
    {
        // n1 and n2 run on two of the silos; wherever n0's own preference lies, it takes the third.
        var siblings = new[] { ThreeSilos[0], ThreeSilos[2] };

        Assert.Equal(ThreeSilos[1], NodeSpread.Choose("kv", new NodeId(0), ThreeSilos, siblings));
    }

    [Fact]
    public void Choose_SiblingsOnSilosThatAreNotCandidates_Ignored()
    {
        // n1 is on a silo that died: it does not count against the two left.
        var placed = NodeSpread.Choose("kv", new NodeId(0), [ThreeSilos[0], ThreeSilos[1]], [ThreeSilos[2], ThreeSilos[1]]);

        Assert.Equal(ThreeSilos[0], placed);
    }

    [Fact]
    public void Choose_FiveNodesOnThreeSilos_NoSiloHoldsMoreThanTwo()
    {
        var placed = Enumerable.Range(0, 5).Select(i => NodeSpread.Choose("big", new NodeId(i), ThreeSilos, []));

        Assert.All(placed.GroupBy(s => s), group => Assert.InRange(group.Count(), 1, 2));
    }

    [Fact]
    public void Choose_ManyClusters_FirstNodesStartOnEverySilo()
    {
        // Leaders tend to be low-numbered nodes; clusters must not all start on one silo.
        var firsts = Enumerable.Range(0, 30).Select(c => NodeSpread.Choose($"cluster{c}", new NodeId(0), ThreeSilos, [])).Distinct().Count();

        Assert.Equal(3, firsts);
    }

    [Fact]
    public void Choose_SiloRestartedWithANewGeneration_KeepsItsPlace()
    {
        var restarted = ThreeSilos.Select(s => SiloAddress.New(s.Endpoint, s.Generation + 7)).ToArray();

        for (var i = 0; i < 3; i++)
            Assert.Equal(NodeSpread.Choose("kv", new NodeId(i), ThreeSilos, []).Endpoint, NodeSpread.Choose("kv", new NodeId(i), restarted, []).Endpoint);
    }

    [Fact]
    public void Choose_OneSiloLeft_EveryNodeOnIt()
    {
        var survivor = ThreeSilos[1];

        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(survivor, NodeSpread.Choose("kv", new NodeId(i), [survivor], [])));
    }

    [Fact]
    public void Choose_NoSilo_Throws()
    {
        Assert.Throws<OrleansException>(() => NodeSpread.Choose("kv", new NodeId(0), [], []));
    }

    [Fact]
    public void NextMove_SpreadAlready_None()
    {
        var where = Where(ThreeSilos[2], ThreeSilos[0], ThreeSilos[1]);

        Assert.Null(NodeSpread.NextMove("kv", where, ThreeSilos));
    }

    [Fact]
    public void NextMove_AllOnOneSilo_HighestNodeMovesToAnEmptySilo()
    {
        var where = Where(ThreeSilos[0], ThreeSilos[0], ThreeSilos[0]);

        var move = NodeSpread.NextMove("kv", where, ThreeSilos);

        Assert.NotNull(move);
        Assert.Equal(new NodeId(2), move.Node);
        Assert.Equal(ThreeSilos[0], move.From);
        Assert.NotEqual(ThreeSilos[0], move.To);
    }

    [Fact]
    public void NextMove_AppliedUntilNone_EveryNodeOnItsOwnSiloInTwoMoves()
    {
        var where = new Dictionary<NodeId, SiloAddress>(Where(ThreeSilos[1], ThreeSilos[1], ThreeSilos[1]));
        var moves = 0;

        while (NodeSpread.NextMove("kv", where, ThreeSilos) is { } move)
        {
            where[move.Node] = move.To;
            Assert.True(++moves <= 3, "the moves do not converge");
        }

        Assert.Equal(2, moves);
        Assert.Equal(3, where.Values.Distinct().Count());
    }

    [Fact]
    public void NextMove_TwoOnOneSiloButNoOtherSiloToGoTo_None()
    {
        // The third silo is down (not a target): two nodes share a silo for lack of another.
        var where = Where(ThreeSilos[0], ThreeSilos[0], ThreeSilos[1]);

        Assert.Null(NodeSpread.NextMove("kv", where, [ThreeSilos[0], ThreeSilos[1]]));
    }

    [Fact]
    public void NextMove_FiveNodesTwoTwoOne_AlreadyEven()
    {
        var where = new Dictionary<NodeId, SiloAddress>
        {
            [new NodeId(0)] = ThreeSilos[0],
            [new NodeId(1)] = ThreeSilos[1],
            [new NodeId(2)] = ThreeSilos[2],
            [new NodeId(3)] = ThreeSilos[0],
            [new NodeId(4)] = ThreeSilos[1],
        };

        Assert.Null(NodeSpread.NextMove("big", where, ThreeSilos));
    }

    [Fact]
    public void NextMove_AFourthSiloJoins_SpreadClusterStays()
    {
        // Sticky: a cluster already on distinct silos does not reshuffle when a silo joins.
        var where = Where(ThreeSilos[0], ThreeSilos[1], ThreeSilos[2]);

        Assert.Null(NodeSpread.NextMove("kv", where, [.. ThreeSilos, Silo(11114)]));
    }

    private static Dictionary<NodeId, SiloAddress> Where(params SiloAddress[] silos) =>
        silos.Select((silo, i) => (silo, i)).ToDictionary(p => new NodeId(p.i), p => p.silo);

    private static SiloAddress Silo(int port) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 1);
}
