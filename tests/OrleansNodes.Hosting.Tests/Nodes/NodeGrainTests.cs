using OrleansNodes.Hosting.Clients;
using OrleansNodes.Hosting.Clusters;
using OrleansNodes.Hosting.Nodes;
using OrleansNodes.Hosting.Tests.Support;
using OrleansNodes.Hosting.Tests.Tally;

namespace OrleansNodes.Hosting.Tests.Nodes;

/// <summary>The node loop on a live silo: ticks, requests, messages, failures.</summary>
[Collection("host")]
public sealed class NodeGrainTests(HostFixture fixture)
{
    private TestSilo Silo => fixture.Silo;

    private Task<ClusterInfo> CreateAsync(string name, int leader = 0) =>
        Silo.Nodes.CreateClusterAsync(new ClusterSpec(name, "tally", 3, new TallySettings(leader)));

    [Fact]
    public async Task Create_ThreeNodes_EveryNodeTicksWithoutTraffic()
    {
        await CreateAsync("ticking");

        var status = await Eventually.Reaches(
            () => Silo.Nodes.StatusAsync("ticking"),
            s => s.Nodes.All(n => n.Running && n.Ticks >= 10 && n.PersistedVersion >= 10),
            "every node ticked 10 times and persisted each tick");

        Assert.Equal(["n0", "n1", "n2"], status.Nodes.Select(n => n.Node.ToString()));
    }

    [Fact]
    public async Task Submit_ToFollower_FollowsRedirectToLeader()
    {
        await CreateAsync("redirect", leader: 2);
        var session = Silo.Nodes.OpenSession("redirect");

        var outcome = await session.SubmitAsync(new Add(5));

        var replied = Assert.IsType<RequestOutcome.Replied>(outcome);
        Assert.Equal(new Added(5), replied.Reply);
        Assert.Equal(new NodeId(2), replied.By);
    }

    [Fact]
    public async Task Retry_SameRequestId_AppliedOnce()
    {
        await CreateAsync("retry");
        var session = Silo.Nodes.OpenSession("retry");
        await session.SubmitAsync(new Add(3));

        var retried = await session.RetryAsync(session.LastSequence, new Add(3));
        var next = await session.SubmitAsync(new Add(4));

        Assert.Equal(new Added(3), Assert.IsType<RequestOutcome.Replied>(retried).Reply);
        Assert.Equal(new Added(7), Assert.IsType<RequestOutcome.Replied>(next).Reply);
    }

    [Fact]
    public async Task PingPeer_TwoNodesPingEachOtherAtOnce_NoDeadlock()
    {
        // The seed's ping-pong: with awaited calls between non-reentrant grains, n0 waiting on
        // n1 while n1 waits on n0 deadlocks. With one-way sends neither ever waits.
        await CreateAsync("pingpong");
        var gateway = Silo.Cluster.Client.GetGrain<IClusterGatewayGrain>("pingpong");
        var client = new ClientId(1);

        var pings = Enumerable.Range(1, 40).Select(i => i % 2 == 0
            ? gateway.Submit(client, i, new PingPeer(new NodeId(1)), new NodeId(0), TimeSpan.FromSeconds(20))
            : gateway.Submit(client, i, new PingPeer(new NodeId(0)), new NodeId(1), TimeSpan.FromSeconds(20)));
        var outcomes = await Task.WhenAll(pings);

        Assert.All(outcomes, outcome => Assert.IsType<RequestOutcome.Replied>(outcome));
        Assert.Equal(20, outcomes.Count(o => new Ponged(new NodeId(1)).Equals(((RequestOutcome.Replied)o).Reply)));
    }

    [Fact]
    public async Task Submit_NoReplyEver_UnknownOutcomeNotFailure()
    {
        // Every message is lost, so a ping's pong never comes back: the gateway keeps retrying
        // the same id until its deadline and then says it does not know.
        await CreateAsync("silent");
        Silo.Network.MakeLossy("silent", dropEvery: 1, holdEvery: int.MaxValue);
        var gateway = Silo.Cluster.Client.GetGrain<IClusterGatewayGrain>("silent");

        var outcome = await gateway.Submit(new ClientId(3), 1, new PingPeer(new NodeId(1)), new NodeId(0), TimeSpan.FromSeconds(2));

        Assert.IsType<RequestOutcome.Unknown>(outcome);
    }

    [Fact]
    public async Task Network_LosesAndReordersMessages_FollowersConverge()
    {
        await CreateAsync("lossy");
        Silo.Network.MakeLossy("lossy", dropEvery: 3, holdEvery: 4);
        var session = Silo.Nodes.OpenSession("lossy");

        for (var i = 1; i <= 10; i++)
            Assert.IsType<RequestOutcome.Replied>(await session.SubmitAsync(new Add(i)));

        // The leader's gossip repairs what the network lost; max() ignores stale copies.
        await Eventually.Reaches(
            () => Silo.Nodes.StatusAsync("lossy"),
            s => s.Nodes.All(n => n.Description.StartsWith("total=55 ", StringComparison.Ordinal)),
            "every node holds total 55");
    }

    [Fact]
    public async Task Write_Fails_NothingSentAndReplyUnknown()
    {
        // Fail exactly the write that would persist the Add: its Replicate must never leave.
        await CreateAsync("pbs");
        var leader = NodeKey.Format("pbs", new NodeId(0));
        await Eventually.Reaches(() => Silo.Node("pbs", 0).GetStatus(), s => s.PersistedVersion > 2, "the leader is writing");
        Silo.FailingWrites[leader] = hard => hard is TallyState { Total: > 0 };

        var outcome = await Silo.Node("pbs", 0).Request(new ClientId(9), 1, new Add(1));

        Assert.IsType<RequestOutcome.Unknown>(outcome);
        AssertNoSendBetweenFailedWriteAndNextSuccess(Silo.Events.Of(leader));
        // The node recovers from its last persisted state and goes on: the Add never happened,
        // and no follower heard of it, however long they keep ticking.
        var read = await Eventually.Reaches(
            () => Silo.Node("pbs", 0).Request(new ClientId(9), 2, new Read()),
            o => o is RequestOutcome.Replied,
            "the leader answers again");
        Assert.Equal(0, ((Value)((RequestOutcome.Replied)read).Reply).Total);
        var ticked = await Silo.Nodes.StatusAsync("pbs");
        var later = await Eventually.Reaches(
            () => Silo.Nodes.StatusAsync("pbs"),
            s => s.Nodes.Zip(ticked.Nodes).All(pair => pair.First.Ticks >= pair.Second.Ticks + 10),
            "ten more ticks everywhere");
        Assert.All(later.Nodes, node => Assert.StartsWith("total=0 ", node.Description, StringComparison.Ordinal));
        Silo.FailingWrites.TryRemove(leader, out _);
    }

    [Fact]
    public async Task Write_StaleVersion_ActivationStopsWithoutSending()
    {
        // Orleans may briefly run two activations of a node. Play the other one: write the
        // node's row behind its back, so its next write expects a stale version.
        await CreateAsync("stale");
        var leader = NodeKey.Format("stale", new NodeId(0));
        var status = await Eventually.Reaches(() => Silo.Node("stale", 0).GetStatus(), s => s.PersistedVersion > 2, "the leader is writing");

        await StorageTestKit.BumpVersionAsync(Silo.DatabasePath, leader);

        await Eventually.Reaches(() => Task.FromResult(Silo.Events.Of(leader)), e => e.Any(x => x.Kind == HostEventKind.WriteFailed), "the stale write is refused");
        AssertNoSendBetweenFailedWriteAndNextSuccess(Silo.Events.Of(leader));
        await Eventually.Reaches(() => Silo.Node("stale", 0).GetStatus(), s => s.Running && s.PersistedVersion > status.PersistedVersion, "a new activation runs the node");
    }

    [Fact]
    public async Task Deactivate_EveryNode_StateRecoveredFromStorage()
    {
        await CreateAsync("recover");
        var session = Silo.Nodes.OpenSession("recover");
        await session.SubmitAsync(new Add(7));
        var before = await Silo.Node("recover", 0).GetStatus();

        for (var i = 0; i < 3; i++) await Silo.Cluster.DeactivateAsync(Silo.Node("recover", i));

        var after = await Silo.Node("recover", 0).GetStatus();
        Assert.True(after.PersistedVersion >= before.PersistedVersion, $"version went back from {before.PersistedVersion} to {after.PersistedVersion}");
        var read = await Silo.Node("recover", 0).Request(new ClientId(2), 1, new Read());
        Assert.Equal(7, ((Value)Assert.IsType<RequestOutcome.Replied>(read).Reply).Total);
    }

    /// <summary>Persist-before-send: after a failed write, a node sends nothing until a write succeeds again.</summary>
    private static void AssertNoSendBetweenFailedWriteAndNextSuccess(IReadOnlyList<HostEvent> events)
    {
        var failed = false;
        for (var i = 0; i < events.Count; i++)
        {
            switch (events[i].Kind)
            {
                case HostEventKind.WriteFailed:
                    failed = true;
                    break;
                case HostEventKind.WriteSucceeded:
                    failed = false;
                    break;
                case HostEventKind.Sent when failed:
                    Assert.Fail($"event {i}: {events[i].Node} sent after a failed write, before persisting again");
                    break;
            }
        }
        Assert.Contains(events, e => e.Kind == HostEventKind.WriteFailed);
    }
}
