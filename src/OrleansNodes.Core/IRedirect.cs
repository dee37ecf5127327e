namespace OrleansNodes.Core;

/// <summary>
/// Marks a client reply that is not an answer but a redirect: "I do not lead; ask
/// <see cref="Leader"/>", or anyone when it is null (an election is under way). Nothing was
/// applied, so a client retries the same (client, sequence) elsewhere. Hosts recognise redirects
/// by this interface, so they can follow them without knowing the protocol.
/// </summary>
public interface IRedirect
{
    /// <summary>The node believed to lead, or null when none is known.</summary>
    NodeId? Leader { get; }
}
