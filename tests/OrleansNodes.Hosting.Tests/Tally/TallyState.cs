using System.Collections.Immutable;

namespace OrleansNodes.Hosting.Tests.Tally;

/// <summary>
/// One tally node. It carries every Core value type a real protocol state does (ids, a
/// timer, a seeded generator, per-peer ticks), so persisting it exercises their codecs.
/// </summary>
[GenerateSerializer, Immutable, Alias("on.tally.TallyState")]
public sealed record TallyState(
    [property: Id(0)] long Ticks,
    [property: Id(1)] long Total,
    [property: Id(2)] ImmutableDictionary<ClientId, long> AppliedSequence,
    [property: Id(3)] TickTimer Gossip,
    [property: Id(4)] SeededRandom Random,
    [property: Id(5)] PeerTicks Heard);
