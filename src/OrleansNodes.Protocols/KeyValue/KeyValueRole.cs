namespace OrleansNodes.Protocols.KeyValue;

/// <summary>What a replica is doing besides being an acceptor, which every replica always is.</summary>
public enum KeyValueRole
{
    /// <summary>Follows a leader (or waits for one): accepts its proposals, redirects clients.</summary>
    Follower,

    /// <summary>Runs phase 1 for its ballot and waits for a majority of promises.</summary>
    Candidate,

    /// <summary>Holds a majority's promises: proposes client batches in its ballot.</summary>
    Leader,
}
