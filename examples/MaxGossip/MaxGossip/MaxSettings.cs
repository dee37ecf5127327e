using Orleans;

namespace Examples.MaxGossip;

/// <summary>How often a node gossips, in ticks.</summary>
[GenerateSerializer, Immutable, Alias("max-gossip.Settings")]
public sealed record MaxSettings([property: Id(0)] int GossipEveryTicks);
