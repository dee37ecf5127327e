namespace OrleansNodes.Protocols.Paxos;

/// <summary>Settings shared by every node of a single-decree Paxos cluster.</summary>
/// <param name="ProposeOnStart">
/// When true every node starts out proposing <see cref="InitialValue"/>, so a simulated cluster
/// chooses a value without any client, and competing proposers exercise phase 1 for real.
/// </param>
/// <param name="RetryTicksMin">Least ticks a proposer waits for a decision before starting a higher ballot.</param>
/// <param name="RetryTicksMax">Most ticks it waits. The spread is what breaks duelling proposers (§2.4).</param>
[GenerateSerializer, Immutable, Alias("on.paxos.Settings")]
public sealed record PaxosSettings(
    [property: Id(0)] bool ProposeOnStart,
    [property: Id(1)] int RetryTicksMin,
    [property: Id(2)] int RetryTicksMax)
{
    /// <summary>Every node proposes on start and retries after 10 to 30 ticks.</summary>
    public static readonly PaxosSettings Default = new(ProposeOnStart: true, RetryTicksMin: 10, RetryTicksMax: 30);

    /// <summary>The value <paramref name="node"/> proposes when <see cref="ProposeOnStart"/> is set: <c>v0</c>, <c>v1</c>, ...</summary>
    public static string InitialValue(NodeId node) => "v" + node.Value;
}
