using OrleansNodes.Hosting.Clusters;
using OrleansNodes.Hosting.Tests.Support;
using OrleansNodes.Hosting.Tests.Tally;

namespace OrleansNodes.Hosting.Tests.Clusters;

[Collection("host")]
public sealed class ClusterRegistryGrainTests(HostFixture fixture)
{
    private Clients.NodesClient Nodes => fixture.Silo.Nodes;

    [Fact]
    public async Task Create_SameSpecTwice_SameDefinition()
    {
        var spec = new ClusterSpec("twice", "tally", 2, new TallySettings(1));

        var first = await Nodes.CreateClusterAsync(spec);
        var second = await Nodes.CreateClusterAsync(spec);

        Assert.Equal(first, second);
        Assert.Equal(first, await Nodes.FindClusterAsync("twice"));
        Assert.Contains(first, await Nodes.ListClustersAsync());
    }

    [Fact]
    public async Task Create_NoSettingsOrSeed_ProtocolDefaultsAndSeedFromName()
    {
        var created = await Nodes.CreateClusterAsync(new ClusterSpec("defaults", "tally", 3));

        Assert.Equal(new TallySettings(Leader: 0).ToString(), created.Settings);
        Assert.Equal(created.Seed, (await Nodes.CreateClusterAsync(new ClusterSpec("defaults", "TALLY", 3))).Seed);
    }

    [Fact]
    public async Task Create_SameNameDifferentSpec_Refused()
    {
        await Nodes.CreateClusterAsync(new ClusterSpec("taken", "tally", 3));

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => Nodes.CreateClusterAsync(new ClusterSpec("taken", "tally", 5)));

        Assert.Contains("already exists", refused.Message);
    }

    [Theory]
    [InlineData("no/slash", "tally", 3, "may only contain")]
    [InlineData("zero", "tally", 0, "1 to 64 nodes")]
    [InlineData("unknown", "raft", 3, "unknown protocol 'raft'")]
    public async Task Create_BadSpec_RefusedWithReason(string name, string protocol, int nodes, string reason)
    {
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => Nodes.CreateClusterAsync(new ClusterSpec(name, protocol, nodes)));

        Assert.Contains(reason, refused.Message);
    }

    [Fact]
    public async Task Create_SettingsOfAnotherType_Refused()
    {
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => Nodes.CreateClusterAsync(new ClusterSpec("wrongsettings", "tally", 3, new Replicate(1))));

        Assert.Contains("takes TallySettings settings", refused.Message);
    }

    [Fact]
    public async Task Status_UnknownCluster_Refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Nodes.StatusAsync("nosuchcluster"));
    }

    [Fact]
    public async Task Submit_UnknownClusterOrForeignCommand_RejectedNotUnknown()
    {
        var nowhere = await Nodes.OpenSession("nosuchcluster").SubmitAsync(new Read());
        await Nodes.CreateClusterAsync(new ClusterSpec("foreign", "tally", 1));
        var foreign = await Nodes.OpenSession("foreign").SubmitAsync("not a tally command");

        Assert.IsType<Clients.RequestOutcome.Rejected>(nowhere);
        Assert.IsType<Clients.RequestOutcome.Rejected>(foreign);
    }
}
