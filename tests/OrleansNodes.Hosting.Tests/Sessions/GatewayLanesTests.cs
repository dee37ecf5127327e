using System.Net;
using OrleansNodes.Hosting.Clients;

namespace OrleansNodes.Hosting.Tests.Sessions;

public class GatewayLanesTests
{
    private static readonly SiloAddress A = Silo(11111);
    private static readonly SiloAddress B = Silo(11112);
    private static readonly SiloAddress C = Silo(11113);

    [Fact]
    public void Next_GatewayIsTheNodesSilo_StaysOnItsLane()
    {
        var lanes = new GatewayLanes(4);

        Assert.Equal(2, lanes.Next(2, A, A));
        Assert.Equal(A, lanes.GatewayOf(2));
    }

    [Fact]
    public void Next_ALaterLaneIsKnownToReachTheNodesSilo_MovesThere()
    {
        var lanes = new GatewayLanes(4);
        lanes.Next(3, B, B);

        Assert.Equal(3, lanes.Next(1, A, B));
    }

    [Fact]
    public void Next_TheOnlyLaneReachingTheNodesSiloIsBeforeIt_WrapsAround()
    {
        var lanes = new GatewayLanes(4);
        lanes.Next(0, B, B);
        lanes.Next(1, C, B);
        lanes.Next(3, C, B);

        Assert.Equal(0, lanes.Next(2, A, B));
    }

    [Fact]
    public void Next_NoLaneKnownToReachIt_TriesTheFirstLaneNotKnownYet()
    {
        var lanes = new GatewayLanes(4);
        lanes.Next(2, C, C);

        // Lane 2 reaches C, not B: of lanes 2, 3, 0, 1 after lane 1, the first unknown is 3.
        Assert.Equal(3, lanes.Next(1, A, B));
    }

    [Fact]
    public void Next_EveryLaneKnownNoneReachingIt_StaysOnItsLane()
    {
        var lanes = new GatewayLanes(3);
        lanes.Next(0, A, A);
        lanes.Next(2, C, C);

        Assert.Equal(1, lanes.Next(1, A, B));
    }

    [Fact]
    public void Next_ALaneThatMovedToAnotherGateway_TheReplyThroughItCorrectsTheMapping()
    {
        var lanes = new GatewayLanes(4);
        lanes.Next(1, B, B);

        // Lane 1's gateway B died and the client moved the lane to C: a session that came to it
        // for B learns so from the reply, and looks further.
        Assert.Equal(2, lanes.Next(1, C, B));
        Assert.Equal(C, lanes.GatewayOf(1));
    }

    [Fact]
    public void Next_ManyThreadsAtOnce_EveryAnswerIsALane()
    {
        var lanes = new GatewayLanes(16);
        SiloAddress[] silos = [A, B, C];

        var answers = new int[10_000];
        Parallel.For(0, answers.Length, i => answers[i] = lanes.Next(i % 16, silos[i % 3], silos[(i / 3) % 3]));

        Assert.All(answers, lane => Assert.InRange(lane, 0, 15));
    }

    private static SiloAddress Silo(int port) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 1);
}
