using System.Net;
using Orleans.Runtime;
using Orleans.Runtime.Placement;
using OrleansNodes.Core;
using OrleansNodes.Hosting.Nodes;
using OrleansNodes.Hosting.Placement;

namespace OrleansNodes.Hosting.Tests.Placement;

/// <summary>The placement director on its own, with a hand-made view of the silos.</summary>
public sealed class SpreadPlacementDirectorTests
{
    private static readonly SiloAddress[] Silos = [Silo(11111), Silo(11112), Silo(11113)];
    private readonly SiloReachability _reachability = new();
    private readonly NodeLocations _locations = new();

    [Fact]
    public async Task Place_OtherNodesKnown_OnTheSiloWithoutOne()
    {
        _locations.Record("kv", new NodeId(1), Silos[0]);
        _locations.Record("kv", new NodeId(2), Silos[2]);

        Assert.Equal(Silos[1], await PlaceAsync("kv/0"));
    }

    [Fact]
    public async Task Place_ASiloMissedItsPing_NeverThere()
    {
        // Membership still lists the silo (it is not declared dead yet), but it did not answer.
        foreach (var silo in Silos) _reachability.Record(silo, answered: true);
        _reachability.Record(Silos[1], answered: false);

        for (var i = 0; i < 6; i++)
            Assert.NotEqual(Silos[1], await PlaceAsync($"c{i}/0"));
    }

    [Fact]
    public async Task Place_NoSiloAnswered_StillPlacesOnACompatibleOne()
    {
        foreach (var silo in Silos) _reachability.Record(silo, answered: false);

        Assert.Contains(await PlaceAsync("kv/0"), Silos);
    }

    [Fact]
    public async Task Place_HintNamesAnAnsweringSilo_Honoured()
    {
        _locations.Record("kv", new NodeId(1), Silos[2]);

        Assert.Equal(Silos[2], await PlaceAsync("kv/0", hint: Silos[2]));
    }

    [Fact]
    public async Task Place_HintNamesASiloThatMissedItsPing_Ignored()
    {
        _reachability.Record(Silos[2], answered: false);

        Assert.NotEqual(Silos[2], await PlaceAsync("kv/0", hint: Silos[2]));
    }

    private Task<SiloAddress> PlaceAsync(string key, SiloAddress? hint = null)
    {
        var director = new SpreadPlacementDirector(_reachability, _locations);
        var context = hint is null ? [] : new Dictionary<string, object> { [IPlacementDirector.PlacementHintKey] = hint };
        var target = new PlacementTarget(GrainId.Create(NodeGrain.GrainTypeName, key), context, default, 0);
        return director.OnAddActivation(SpreadPlacement.Instance, target, new Context());
    }

    private static SiloAddress Silo(int port) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 1);

    private sealed class Context : IPlacementContext
    {
        public SiloAddress LocalSilo => Silos[0];

        public SiloStatus LocalSiloStatus => SiloStatus.Active;

        public SiloAddress[] GetCompatibleSilos(PlacementTarget target) => Silos;

        public IReadOnlyDictionary<ushort, SiloAddress[]> GetCompatibleSilosWithVersions(PlacementTarget target) => new Dictionary<ushort, SiloAddress[]> { [0] = Silos };
    }
}
