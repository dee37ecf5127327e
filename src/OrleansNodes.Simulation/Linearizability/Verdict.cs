namespace OrleansNodes.Simulation.Linearizability;

/// <summary>What a linearizability check concluded.</summary>
public enum Verdict
{
    /// <summary>Some order of the operations respects both real time and the model.</summary>
    Linearizable,

    /// <summary>No such order exists.</summary>
    NotLinearizable,

    /// <summary>The search ran out of budget before deciding.</summary>
    Unknown,
}
