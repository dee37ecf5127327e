using System.Text.Json.Serialization;

namespace OrleansNodes.Simulation;

/// <summary>
/// How a simulated run is shaped: cluster size, length, faults, and the liveness phase.
/// </summary>
/// <remarks>
/// <para><b>Time model.</b> Time advances in <i>rounds</i>. In every round each up node receives
/// one tick (with <see cref="FaultKinds.Skew"/>, between zero and two, so its rate over many rounds
/// lies between half and double the nominal one). Ticks, message deliveries and client requests of
/// a round are interleaved in a seeded random order. A message sent in round <c>r</c> becomes
/// deliverable in round <c>r + d</c>, where the delay <c>d</c> is 0 or, with
/// <see cref="FaultKinds.Reorder"/>, drawn from <c>[0, MaxDelayRounds]</c>; it is delivered (or
/// lost) no later than round <c>r + d + 1</c>, so delays are bounded and timeouts measured in
/// ticks mean something. <see cref="Core.Observation{TState}.Time"/> is the round number.</para>
/// <para><b>Persistence.</b> A node steps inputs in batches of 1..<see cref="MaxBatchSteps"/>
/// and at the end of every round; after a batch it writes what the batch made durable (its hard
/// state if it changed, log and snapshot writes) and only then do its messages enter the network
/// and its replies reach clients (persist-before-send). A crash keeps only the durable image;
/// the restarted node is what <c>Recover</c> rebuilds from it.</para>
/// </remarks>
public sealed record SimulationOptions
{
    /// <summary>Three nodes, a thousand steps, no faults.</summary>
    public static SimulationOptions Default { get; } = new();

    /// <summary>Number of nodes in the cluster.</summary>
    public int Nodes { get; init; } = 3;

    /// <summary>Number of inputs stepped in the fault phase (deliveries, ticks and requests).</summary>
    public int Steps { get; init; } = 1_000;

    /// <summary>The faults injected during the fault phase.</summary>
    public FaultKinds Faults { get; init; } = FaultKinds.None;

    /// <summary>Which deliverable message goes next.</summary>
    public DeliveryOrder Order { get; init; } = DeliveryOrder.Random;

    /// <summary>Upper bound of a message's delay with <see cref="FaultKinds.Reorder"/>, in rounds.</summary>
    public int MaxDelayRounds { get; init; } = 3;

    /// <summary>Chance, per step of the fault phase, of a crash/restart, partition/heal or skew event (of the enabled kinds).</summary>
    public double FaultEventPercent { get; init; } = 1.0;

    /// <summary>Chance that a delivery is a loss instead, with <see cref="FaultKinds.Drop"/>.</summary>
    public double DropPercent { get; init; } = 5.0;

    /// <summary>Chance that a delivery duplicates the message instead (both copies stay in flight), with <see cref="FaultKinds.Duplicate"/>.</summary>
    public double DuplicatePercent { get; init; } = 2.0;

    /// <summary>At most this many nodes are down at once; null means a minority, <c>(Nodes - 1) / 2</c>.</summary>
    public int? MaxCrashedNodes { get; init; }

    /// <summary>A node persists after a batch of 1..this many steps (drawn per batch) and at every round's end.</summary>
    public int MaxBatchSteps { get; init; } = 4;

    /// <summary>
    /// Rounds the liveness phase may take: after the fault phase, faults stop and partitions heal,
    /// and every <c>Eventually</c> property (and the workload) must be satisfied within this bound.
    /// Zero skips the liveness phase.
    /// </summary>
    public int LivenessRounds { get; init; } = 200;

    /// <summary>
    /// Whether crashed nodes restart when the liveness phase begins. A failure detector's test
    /// wants false: the dead must stay dead to be detected.
    /// </summary>
    public bool RestartCrashedForLiveness { get; init; } = true;

    /// <summary>Whether a failing schedule is shrunk (delta debugging) before it is reported.</summary>
    public bool Shrink { get; init; } = true;

    /// <summary>Budget of replays the shrinker may spend.</summary>
    public int MaxShrinkReplays { get; init; } = 2_000;

    /// <summary>
    /// Threads a suite runs seeds on. Runs are independent and the report is the same as with
    /// one thread: its counts cover exactly the seeds up to the lowest failing one. With more than
    /// one thread, progress is reported from the worker threads.
    /// </summary>
    public int Parallelism { get; init; } = 1;

    /// <summary>
    /// Whether a restart checks the durable contract: <c>HardState(Recover(image))</c> must equal
    /// the hard state the image holds, or the run fails with the pseudo-property
    /// "Recover restores the hard state". Off only to prove that a protocol's own properties
    /// catch a forgetful recovery.
    /// </summary>
    public bool CheckRecovery { get; init; } = true;

    /// <summary>Whether a suite first runs its first seed twice and compares structural hashes of every step.</summary>
    public bool CheckDeterminism { get; init; } = true;

    /// <summary>Whether a failing schedule is saved to a file (see <see cref="ScheduleDirectory"/>).</summary>
    public bool SaveSchedule { get; init; } = true;

    /// <summary>Where failing schedules are saved; null means <c>$TMPDIR/orleansnodes</c>.</summary>
    public string? ScheduleDirectory { get; init; }

    /// <summary>At most this many trace lines (the last ones) in a violation report.</summary>
    public int MaxTraceLines { get; init; } = 300;

    /// <summary>The node limit implied by <see cref="MaxCrashedNodes"/>.</summary>
    [JsonIgnore]
    public int MaxCrashed => MaxCrashedNodes ?? (Nodes - 1) / 2;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        static void Require(bool ok, string name, object value, string rule)
        {
            if (!ok) throw new ArgumentException($"option {name} = {value}: {rule}", name);
        }

        Require(Nodes is >= 1 and <= 64, nameof(Nodes), Nodes, "must be between 1 and 64");
        Require(Steps >= 0, nameof(Steps), Steps, "must not be negative");
        Require(MaxDelayRounds >= 0, nameof(MaxDelayRounds), MaxDelayRounds, "must not be negative");
        Require(FaultEventPercent is >= 0 and <= 100, nameof(FaultEventPercent), FaultEventPercent, "must be a percentage");
        Require(DropPercent is >= 0 and <= 100, nameof(DropPercent), DropPercent, "must be a percentage");
        Require(DuplicatePercent is >= 0 and <= 100, nameof(DuplicatePercent), DuplicatePercent, "must be a percentage");
        Require(MaxCrashed >= 0 && MaxCrashed <= Nodes, nameof(MaxCrashedNodes), MaxCrashed, "must be between 0 and Nodes");
        Require(MaxBatchSteps >= 1, nameof(MaxBatchSteps), MaxBatchSteps, "must be at least 1");
        Require(LivenessRounds >= 0, nameof(LivenessRounds), LivenessRounds, "must not be negative");
        Require(MaxShrinkReplays >= 0, nameof(MaxShrinkReplays), MaxShrinkReplays, "must not be negative");
        Require(Parallelism >= 1, nameof(Parallelism), Parallelism, "must be at least 1");
        Require(MaxTraceLines >= 1, nameof(MaxTraceLines), MaxTraceLines, "must be at least 1");
    }
}
