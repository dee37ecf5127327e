using System.Collections.Immutable;
using Orleans.Concurrency;
using OrleansNodes.Core;

namespace OrleansNodes.Hosting;

// Codecs for Core's value types, written as Orleans surrogates.
//
// docs/design-decisions.md §3 planned `[assembly: GenerateCodeForDeclaringAssembly(typeof(NodeId))]`
// here. Measured on Orleans 10.4.2, that cannot work for Core's positional records: their
// `[property: Id(n)]` properties are init-only, and a generator reading another assembly's
// metadata cannot see the private backing fields it would need to set (ORLEANS0101 "does not
// have an accessible setter"; with reference assemblies also ORLEANS0110). Codecs for such records
// can only be generated in the assembly that declares them. Until Core (and Protocols) run the
// generator themselves, Hosting registers surrogates for the Core types that cross grains or
// sit inside protocol states. Delete this file when Core generates its own codecs.

[GenerateSerializer, Immutable, Alias("on.NodeId.s")]
internal readonly record struct NodeIdSurrogate([property: Id(0)] int Value);

[RegisterConverter]
internal sealed class NodeIdConverter : IConverter<NodeId, NodeIdSurrogate>
{
    public NodeId ConvertFromSurrogate(in NodeIdSurrogate surrogate) => new(surrogate.Value);

    public NodeIdSurrogate ConvertToSurrogate(in NodeId value) => new(value.Value);
}

[GenerateSerializer, Immutable, Alias("on.ClientId.s")]
internal readonly record struct ClientIdSurrogate([property: Id(0)] long Value);

[RegisterConverter]
internal sealed class ClientIdConverter : IConverter<ClientId, ClientIdSurrogate>
{
    public ClientId ConvertFromSurrogate(in ClientIdSurrogate surrogate) => new(surrogate.Value);

    public ClientIdSurrogate ConvertToSurrogate(in ClientId value) => new(value.Value);
}

[GenerateSerializer, Immutable, Alias("on.TickTimer.s")]
internal readonly record struct TickTimerSurrogate([property: Id(0)] int ElapsedTicks, [property: Id(1)] int TimeoutTicks);

[RegisterConverter]
internal sealed class TickTimerConverter : IConverter<TickTimer, TickTimerSurrogate>
{
    public TickTimer ConvertFromSurrogate(in TickTimerSurrogate surrogate) => new(surrogate.ElapsedTicks, surrogate.TimeoutTicks);

    public TickTimerSurrogate ConvertToSurrogate(in TickTimer value) => new(value.ElapsedTicks, value.TimeoutTicks);
}

[GenerateSerializer, Immutable, Alias("on.SeededRandom.s")]
internal readonly record struct SeededRandomSurrogate([property: Id(0)] ulong State);

[RegisterConverter]
internal sealed class SeededRandomConverter : IConverter<SeededRandom, SeededRandomSurrogate>
{
    public SeededRandom ConvertFromSurrogate(in SeededRandomSurrogate surrogate) => new(surrogate.State);

    public SeededRandomSurrogate ConvertToSurrogate(in SeededRandom value) => new(value.State);
}

[GenerateSerializer, Immutable, Alias("on.PeerTicks.s")]
internal readonly record struct PeerTicksSurrogate([property: Id(0)] ImmutableArray<int> SinceHeard);

[RegisterConverter]
internal sealed class PeerTicksConverter : IConverter<PeerTicks, PeerTicksSurrogate>
{
    public PeerTicks ConvertFromSurrogate(in PeerTicksSurrogate surrogate) => new(surrogate.SinceHeard);

    public PeerTicksSurrogate ConvertToSurrogate(in PeerTicks value) => new(value.SinceHeard);
}
