using OrleansNodes.Protocols.KeyValue;
using OrleansNodes.Hosting.Protocols;
using OrleansNodes.Hosting.Tests.Support;
using OrleansNodes.Hosting.Tests.Tally;

namespace OrleansNodes.Hosting.Tests.Protocols;

public sealed class ProtocolRegistryTests
{
    private static HostedProtocol Tally() => HostedProtocol.Create(new TallyProtocol(), new TallySettings(0), TallyProtocol.Redirect);

    [Fact]
    public void Create_SameNameTwice_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ProtocolRegistry([Tally(), Tally()]));
    }

    [Fact]
    public void Get_UnknownName_ListsKnownNames()
    {
        var registry = new ProtocolRegistry([Tally()]);

        var error = Assert.Throws<ArgumentException>(() => registry.Get("raft"));

        Assert.Contains("registered: tally", error.Message);
        Assert.Same(registry.Get("tally"), registry.Get("TALLY"));
    }

    [Fact]
    public void Redirect_RedirectReplyOrAnswer_HintOnlyForRedirect()
    {
        var tally = Tally();

        Assert.Equal(new RedirectHint(new NodeId(2)), tally.Redirect(new Redirect(new NodeId(2))));
        Assert.Null(tally.Redirect(new Added(1)));
        Assert.Null(tally.Redirect("not a reply"));
    }

    [Fact]
    public void Redirect_ReplyImplementsIRedirect_HintWithoutAReader()
    {
        var kv = HostedProtocol.Create(new KeyValueProtocol(), KeyValueSettings.Default);

        Assert.Equal(new RedirectHint(new NodeId(1)), kv.Redirect(new KeyValueReply.Redirect(new NodeId(1))));
        Assert.Equal(new RedirectHint(null), kv.Redirect(new KeyValueReply.Redirect(null)));
        Assert.Null(kv.Redirect(new KeyValueReply.Ok()));
    }

    [Fact]
    public void Start_SameSeed_SameInitialStateAsSimulatorConfig()
    {
        // The host derives node seeds like NodeConfig.Cluster, so a node draws the same timeouts
        // on Orleans as in a simulated run of the same cluster seed.
        var runner = Tally().Start(new NodeId(1), 3, new TallySettings(0), 42, image: null);

        var expected = new TallyProtocol().Init(NodeConfig<TallySettings>.Cluster(3, new TallySettings(0), 42)[1]);
        var actual = (TallyState)runner.State;
        Assert.Equal(expected.Gossip, actual.Gossip);
        Assert.Equal(expected.Random, actual.Random);
    }

    [Fact]
    public void SerializationCheck_TallyWithCodecs_NoProblem()
    {
        Assert.Null(SerializationCheck.FindProblem(Tally(), SerializerKit.Serializer));
    }

    [Fact]
    public void SerializationCheck_StateWithoutCodec_NamesTheType()
    {
        var unserializable = HostedProtocol.Create(new OpaqueProtocol(), new OpaqueSettings());

        var problem = SerializationCheck.FindProblem(unserializable, SerializerKit.Serializer);

        Assert.NotNull(problem);
        Assert.Contains("OpaqueSettings", problem);
    }

    private sealed record OpaqueSettings;

    private sealed record OpaqueState;

    private sealed class OpaqueProtocol : Protocol<OpaqueSettings, OpaqueState, int, int, int>
    {
        public override string Name => "opaque";

        public override OpaqueState Init(NodeConfig<OpaqueSettings> config) => new();

        public override OpaqueState Step(StepContext<OpaqueSettings, int, int> context, OpaqueState state, Input<int, int> input) => state;
    }
}
