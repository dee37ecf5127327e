namespace OrleansNodes.Protocols.KeyValue;

/// <summary>How a leader answers gets (docs/design-decisions.md §13). Both are linearizable with no clock.</summary>
public enum KeyValueReadPath
{
    /// <summary>
    /// ReadIndex (Raft thesis §6.4): the get waits for one heartbeat round, started after it
    /// arrived, that a majority acknowledges in the leader's ballot, and for the store to apply
    /// every slot the leader had assigned; then it is answered from the store. No slot, no write.
    /// </summary>
    ReadIndex,

    /// <summary>
    /// The get is proposed in a slot like a write and answered when the slot is applied: a phase 2
    /// round and a durable write on every replica per batch. Slower, but it orders gets with
    /// writes in the log itself, which is the simplest argument for linearizability.
    /// </summary>
    Log,
}
