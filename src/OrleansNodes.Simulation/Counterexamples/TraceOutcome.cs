namespace OrleansNodes.Simulation.Counterexamples;

/// <summary>What became of the message or client request a decision acted on.</summary>
public enum TraceOutcome
{
    /// <summary>The decision acts on no message (a tick, a flush, a fault).</summary>
    None,

    /// <summary>The message or request reached its node, which stepped it.</summary>
    Delivered,

    /// <summary>The network dropped the message.</summary>
    Dropped,

    /// <summary>The network copied the message; both copies stay in flight.</summary>
    Duplicated,

    /// <summary>The message was lost because its link was cut.</summary>
    LostLinkCut,

    /// <summary>The message or request was lost because its target node was down.</summary>
    LostNodeDown,
}
