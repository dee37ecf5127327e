using Orleans;
using OrleansNodes.Core;

namespace Examples.MaxGossip;

/// <summary>One node's state: the largest value it knows, and ticks until it gossips again.</summary>
[GenerateSerializer, Immutable, Alias("max-gossip.State")]
public sealed record MaxState([property: Id(0)] int Value, [property: Id(1)] TickTimer Gossip);
