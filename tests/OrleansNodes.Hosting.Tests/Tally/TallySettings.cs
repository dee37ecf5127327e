namespace OrleansNodes.Hosting.Tests.Tally;

/// <summary>The fixed leader, and the range the leader's gossip period is drawn from.</summary>
[GenerateSerializer, Immutable, Alias("on.tally.TallySettings")]
public sealed record TallySettings(
    [property: Id(0)] int Leader,
    [property: Id(1)] int GossipTicksMin = 2,
    [property: Id(2)] int GossipTicksMax = 4);
