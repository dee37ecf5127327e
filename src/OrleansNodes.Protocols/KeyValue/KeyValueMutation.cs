namespace OrleansNodes.Protocols.KeyValue;

/// <summary>
/// Bugs that can be switched on deliberately, only from the mutation tests: each must be caught
/// by the invariants or the linearizability checker, which proves those checks can fail.
/// </summary>
[Flags]
internal enum KeyValueMutation
{
    None = 0,

    /// <summary>The leader answers gets from its own store without a log round: stale reads after it is deposed.</summary>
    LeaderReadsLocally = 1,

    /// <summary>Replicas apply chosen slots as they learn them, skipping gaps.</summary>
    ApplyOutOfOrder = 2,

    /// <summary>The dedup table is ignored: a retried command is executed again.</summary>
    NoDeduplication = 4,
}
