using System.Collections.Immutable;
using OrleansNodes.Hosting.Clients;
using OrleansNodes.Hosting.Clusters;
using OrleansNodes.Hosting.Nodes;
using OrleansNodes.Hosting.Tests.Support;
using OrleansNodes.Hosting.Tests.Tally;

namespace OrleansNodes.Hosting.Tests.Protocols;

/// <summary>Core's value types and Hosting's records survive Orleans' serializer, inside object-typed fields too.</summary>
public sealed class CoreCodecTests
{
    [Fact]
    public void RoundTrip_CoreValueTypes_Equal()
    {
        object[] values =
        [
            new NodeId(3),
            new ClientId(77),
            new TickTimer(2, 9),
            SeededRandom.From(5).NextUInt64().Next,
            PeerTicks.Create(3).Tick().Heard(new NodeId(1)),
            new NodeView("leader", Leading: true, new NodeId(2), "b7.n2", Commit: 40, Applied: 39),
            NodeView.None,
        ];

        Assert.All(values, value => Assert.Equal(value, SerializerKit.RoundTrip(value)));
    }

    [Fact]
    public void RoundTrip_HostingRecords_Equal()
    {
        var definition = new ClusterDefinition("kv", "tally", 3, new TallySettings(2), 99);
        object[] values =
        [
            definition,
            new RequestOutcome.Replied(new Added(4), new NodeId(2)),
            new RequestOutcome.Unknown("timeout"),
            new NodeStatus("kv", new NodeId(1), true, "total=0", 5, 0, 9, 3, 6, 0, View: new NodeView("follower", Leader: new NodeId(0)), FlushSeconds: 0.002),
            ClusterInfo.Of(definition),
            new ClusterStatus(ClusterInfo.Of(definition), [new NodeStatus("kv", new NodeId(0), false, "x", 0, 0, 0, 0, 1, 0)]),
        ];

        Assert.Equal(values[..5], values[..5].Select(SerializerKit.RoundTrip));
        var status = (ClusterStatus)SerializerKit.RoundTrip(values[5]);
        Assert.Equal(((ClusterStatus)values[5]).Nodes.ToArray(), status.Nodes.ToArray());
        Assert.Equal(new TallySettings(2).ToString(), status.Cluster.Settings);
    }

    [Fact]
    public void RoundTrip_TallyStateWithDedupTable_Equal()
    {
        var state = new TallyProtocol().Init(NodeConfig<TallySettings>.Cluster(3, new TallySettings(0), 1)[0]) with
        {
            AppliedSequence = ImmutableDictionary<ClientId, long>.Empty.Add(new ClientId(1), 4),
        };

        var back = Assert.IsType<TallyState>(SerializerKit.RoundTrip<object>(state));

        Assert.Equal(4, back.AppliedSequence[new ClientId(1)]);
        Assert.Equal(state.Heard, back.Heard);
    }
}
