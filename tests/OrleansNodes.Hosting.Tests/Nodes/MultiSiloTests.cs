using OrleansNodes.Hosting.Clients;
using OrleansNodes.Hosting.Clusters;
using OrleansNodes.Hosting.Tests.Support;
using OrleansNodes.Hosting.Tests.Tally;

namespace OrleansNodes.Hosting.Tests.Nodes;

/// <summary>Node grains spread over three silos that share one store; silos die under them.</summary>
[Collection("silos")]
public sealed class MultiSiloTests
{
    [Fact(Timeout = 120_000)]
    public async Task ThreeSilos_OneNodeEach_EveryNodeTicksWithoutTraffic()
    {
        await using var silos = await SiloCluster.StartAsync();
        await silos.Nodes.CreateClusterAsync(new ClusterSpec("spread", "tally", 3));
        for (var i = 0; i < 3; i++) await silos.MoveAsync("spread", i, silos.Cluster.Silos[i]);
        var hosts = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => silos.SiloOf("spread", i)));

        // No client call from here on: each node ticks on its own silo's timer, and a tally
        // node writes on every tick.
        var before = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => silos.StoredVersionAsync("spread", i)));
        await Eventually.Reaches(
            () => Task.WhenAll(Enumerable.Range(0, 3).Select(i => silos.StoredVersionAsync("spread", i))),
            etags => etags.Zip(before).All(pair => pair.First >= pair.Second + 10),
            "every node ticked and wrote 10 more times");

        Assert.Equal(3, hosts.Distinct().Count());
    }

    [Fact(Timeout = 120_000)]
    public async Task ThreeSilos_ClusterCreated_EachNodeOnASiloOfItsOwnWithoutHelp()
    {
        await using var silos = await SiloCluster.StartAsync();
        await silos.Nodes.CreateClusterAsync(new ClusterSpec("apart", "tally", 3));

        var hosts = await Eventually.Reaches(
            () => Task.WhenAll(Enumerable.Range(0, 3).Select(i => silos.SiloOf("apart", i))),
            at => at.All(silo => silo is not null) && at.Distinct().Count() == 3,
            "every node on a silo of its own");

        Assert.Equal(3, hosts.Distinct().Count());
    }

    [Fact(Timeout = 120_000)]
    public async Task TwoNodesPushedOntoOneSilo_KeeperMovesOneAwayWithItsState()
    {
        await using var silos = await SiloCluster.StartAsync();
        await silos.Nodes.CreateClusterAsync(new ClusterSpec("pushed", "tally", 3));
        Assert.IsType<RequestOutcome.Replied>(await silos.Nodes.OpenSession("pushed").SubmitAsync(new Add(5)));
        var zero = await Eventually.Reaches(() => silos.SiloOf("pushed", 0), at => at is not null, "n0 runs");
        await silos.MoveAsync("pushed", 1, silos.Cluster.Silos.Single(s => s.SiloAddress == zero));

        // The keeper of that silo sees two of the cluster's nodes on it and an empty silo: it moves one.
        await Eventually.Reaches(
            () => Task.WhenAll(Enumerable.Range(0, 3).Select(i => silos.SiloOf("pushed", i))),
            at => at.All(silo => silo is not null) && at.Distinct().Count() == 3,
            "every node on a silo of its own again",
            timeoutSeconds: 60);
        var status = await Eventually.Reaches(
            () => silos.Nodes.StatusAsync("pushed"),
            s => s.Nodes.All(n => n.Running && n.Description.StartsWith("total=5 ", StringComparison.Ordinal)),
            "every node runs with total 5");

        Assert.All(status.Nodes, node => Assert.True(node.Answered, node.ToString()));
    }

    [Fact(Timeout = 120_000)]
    public async Task PingPeer_NodesOnDifferentSilosPingEachOtherAtOnce_NoDeadlock()
    {
        // The seed's ping-pong across silos: n0 and n1 each ask the other at the same time. With
        // awaited calls between non-reentrant grains this deadlocks wherever the grains live;
        // with one-way sends neither ever waits.
        await using var silos = await SiloCluster.StartAsync();
        await silos.Nodes.CreateClusterAsync(new ClusterSpec("pingpong", "tally", 3));
        for (var i = 0; i < 3; i++) await silos.MoveAsync("pingpong", i, silos.Cluster.Silos[i]);
        var gateway = silos.Cluster.Client.GetGrain<IClusterGatewayGrain>("pingpong");

        var pings = Enumerable.Range(1, 40).Select(i => i % 2 == 0
            ? gateway.Submit(new ClientId(1), i, new PingPeer(new NodeId(1)), new NodeId(0), TimeSpan.FromSeconds(20))
            : gateway.Submit(new ClientId(1), i, new PingPeer(new NodeId(0)), new NodeId(1), TimeSpan.FromSeconds(20)));
        var outcomes = await Task.WhenAll(pings).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.All(outcomes, outcome => Assert.IsType<RequestOutcome.Replied>(outcome));
        Assert.Equal(20, outcomes.Count(o => new Ponged(new NodeId(1)).Equals(((RequestOutcome.Replied)o).Reply)));
        Assert.Equal(20, outcomes.Count(o => new Ponged(new NodeId(0)).Equals(((RequestOutcome.Replied)o).Reply)));
    }

    [Fact(Timeout = 120_000)]
    public async Task Session_LeaderOnAnotherSilo_MovesToALaneWhoseGatewayIsTheLeadersSilo()
    {
        await using var silos = await SiloCluster.StartAsync();
        await silos.Nodes.CreateClusterAsync(new ClusterSpec("lanes", "tally", 3));
        // The leader, n0, on the last silo: not the one a client connects to first.
        for (var i = 0; i < 3; i++) await silos.MoveAsync("lanes", i, silos.Cluster.Silos[(i + 2) % 3]);
        var leaderSilo = silos.Cluster.Silos[2].SiloAddress;
        var session = silos.Nodes.OpenSession("lanes");

        // Each reply tells the session which silo its lane reached; with 16 lanes over three
        // gateways, it has found one that reaches the leader's silo well within 32 requests.
        var replies = new List<RequestOutcome.Replied>();
        for (var i = 0; i < 40; i++) replies.Add(Assert.IsType<RequestOutcome.Replied>(await session.SubmitAsync(new Add(1))));

        Assert.Equal(40, Assert.IsType<Added>(replies[^1].Reply).Total);
        Assert.All(replies, reply => Assert.Equal((new NodeId(0), leaderSilo), (reply.By, reply.NodeSilo)));
        Assert.All(replies, reply => Assert.NotNull(reply.GatewaySilo));
        Assert.All(replies[^8..], reply => Assert.Equal(leaderSilo, reply.GatewaySilo));
    }

    [Fact(Timeout = 120_000)]
    public async Task KillSilo_HostingEveryNode_ReminderBringsNodesBackWithTheirState()
    {
        await using var silos = await SiloCluster.StartAsync();
        await silos.Nodes.CreateClusterAsync(new ClusterSpec("orphans", "tally", 3));
        Assert.IsType<RequestOutcome.Replied>(await silos.Nodes.OpenSession("orphans").SubmitAsync(new Add(11)));
        await Eventually.Reaches(
            () => silos.Nodes.StatusAsync("orphans"),
            s => s.Nodes.All(n => n.Description.StartsWith("total=11 ", StringComparison.Ordinal)),
            "every node holds total 11");
        var doomed = silos.Cluster.Silos[1];
        for (var i = 0; i < 3; i++) await silos.MoveAsync("orphans", i, doomed);

        await silos.Cluster.KillSiloAsync(doomed);

        // Every node of the cluster was on the dead silo, so no peer message can wake one, and
        // the test calls none (the management grain's directory lookup activates nothing): only
        // the durable keep-alive reminder, now owned by a surviving silo, brings them back.
        var hosts = await Eventually.Reaches(
            () => Task.WhenAll(Enumerable.Range(0, 3).Select(i => silos.SiloOf("orphans", i))),
            at => at.All(silo => silo is not null && silo != doomed.SiloAddress),
            "every node is active on a surviving silo",
            timeoutSeconds: 60);
        var status = await silos.Nodes.StatusAsync("orphans");

        Assert.All(hosts, silo => Assert.NotEqual(doomed.SiloAddress, silo));
        Assert.All(status.Nodes, node =>
        {
            Assert.True(node.Running, node.ToString());
            Assert.StartsWith("total=11 ", node.Description, StringComparison.Ordinal);
        });
    }
}
