namespace OrleansNodes.Core;

/// <summary>
/// A node at a glance, read from its state by the protocol's <c>Inspect</c>: what a person
/// watching a cluster looks for first, and what the host counts leader changes from. Every field
/// but <see cref="Role"/> is optional; a protocol fills in what it has.
/// </summary>
/// <param name="Role">The node's role in the protocol's own words: <c>leader</c>, <c>follower</c>, <c>candidate</c>, <c>proposer</c>.</param>
/// <param name="Leading">True while this node believes it leads (the host counts each time it starts to).</param>
/// <param name="Leader">The leader this node follows, when it knows one.</param>
/// <param name="Ballot">The ballot or term the node is in, as the protocol prints it.</param>
/// <param name="Commit">The highest log index the node knows chosen or committed.</param>
/// <param name="Applied">The highest log index applied to its state machine.</param>
[GenerateSerializer, Immutable, Alias("on.NodeView")]
public sealed record NodeView(
    [property: Id(0)] string Role,
    [property: Id(1)] bool Leading = false,
    [property: Id(2)] NodeId? Leader = null,
    [property: Id(3)] string? Ballot = null,
    [property: Id(4)] long? Commit = null,
    [property: Id(5)] long? Applied = null)
{
    /// <summary>What a protocol that does not inspect its state shows: no role, nothing else.</summary>
    public static NodeView None { get; } = new("-");
}
