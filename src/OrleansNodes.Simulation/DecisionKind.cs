namespace OrleansNodes.Simulation;

/// <summary>What one recorded scheduling decision does. See <see cref="Decision"/> for the text forms.</summary>
public enum DecisionKind : byte
{
    /// <summary>
    /// The round ends and time advances one round: delayed messages become deliverable, nodes get
    /// their ticks, the workload issues requests. In a replay of a random run's schedule, a round
    /// first does the work it owes and the schedule does not name (its clients' requests land, its
    /// due messages arrive, nodes up all round that did not <see cref="Rest"/> take the ticks it owes;
    /// see <c>Engine.NextOwed</c>), so a schedule records only what the run chose.
    /// </summary>
    Round,

    /// <summary>A node steps a tick.</summary>
    Tick,

    /// <summary>A message in flight is delivered (or lost, when its target is down or its link is cut).</summary>
    Deliver,

    /// <summary>A message in flight is lost.</summary>
    Drop,

    /// <summary>A message in flight is copied; both copies stay in flight.</summary>
    Duplicate,

    /// <summary>A node persists its state, then releases its pending messages and replies.</summary>
    Flush,

    /// <summary>A node crashes: its unpersisted steps and outbox are lost.</summary>
    Crash,

    /// <summary>A crashed node restarts from its persisted state.</summary>
    Restart,

    /// <summary>One direction of one link is cut.</summary>
    Cut,

    /// <summary>Every cut link is restored.</summary>
    Heal,

    /// <summary>A client request in flight reaches its node.</summary>
    Request,

    /// <summary>A scripted client request (a <see cref="World{TSettings, TState, TMessage, TRequest, TReply}"/> call) enters the network.</summary>
    Submit,

    /// <summary>The liveness phase begins: no more loss or duplication.</summary>
    Live,

    /// <summary>
    /// A node's flush writes its batch durably, then the node crashes before its messages and
    /// replies leave: the write is kept, the outbox lost (see <see cref="SimulationOptions.FlushCrashPercent"/>).
    /// </summary>
    FlushCrash,

    /// <summary>
    /// A node takes no more ticks this round: its clock runs slow (only with <see cref="FaultKinds.Skew"/>).
    /// Without it a <see cref="Round"/> gives every node up all round the ticks it owes: two, the
    /// fastest rate the model allows (one in schedules of format <c>/3</c>). A rest without a
    /// tick (a silent round) never comes two rounds in a row.
    /// </summary>
    Rest,

    /// <summary>
    /// A message just released is held back: it may be delivered from this many rounds after the
    /// round that sent it, and must be by the end of the round after that (only with
    /// <see cref="FaultKinds.Reorder"/>, at most <see cref="SimulationOptions.MaxDelayRounds"/>).
    /// Without it a message is due by the end of the round after its send, so a schedule names
    /// the delays its run drew and shrinking can delete them.
    /// </summary>
    Delay,
}
