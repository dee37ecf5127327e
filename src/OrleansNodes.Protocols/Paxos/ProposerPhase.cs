namespace OrleansNodes.Protocols.Paxos;

/// <summary>Where a node's proposer is in the current ballot (Paxos Made Simple §2.2).</summary>
public enum ProposerPhase
{
    /// <summary>No ballot in flight: nothing to propose, the value is learned, or the last ballot was out-numbered and the node waits for its retry timer.</summary>
    Idle,

    /// <summary>Phase 1: sent <c>Prepare</c>, collecting promises from a majority.</summary>
    Preparing,

    /// <summary>Phase 2: sent <c>Accept</c>; the node learns the outcome like every other learner.</summary>
    Accepting,
}
