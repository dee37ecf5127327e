using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using OrleansNodes.Simulation.Engine;

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

    /// <summary>Chance, per step of the fault phase, of a crash/restart, partition/heal, skew or leader-isolation event (of the enabled kinds).</summary>
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

    /// <summary>
    /// Chance, after each flush in the fault phase, that the node crashes right then: at a
    /// node-loop boundary, its batch written and sent, before its next step. Crashes drawn by
    /// <see cref="FaultEventPercent"/> land anywhere in a batch; these land where a missing write
    /// (a promise not persisted) shows. Needs <see cref="FaultKinds.Crash"/>.
    /// </summary>
    public double BoundaryCrashPercent { get; init; }

    /// <summary>
    /// Chance, at each flush in the fault phase, that the node crashes between the flush's durable
    /// write and the release of its outbox: the write is kept, the messages and replies are lost
    /// (a silo dying after storage acknowledged, before its one-way calls left). Recorded as a
    /// <see cref="DecisionKind.FlushCrash"/>. Needs <see cref="FaultKinds.Crash"/>.
    /// </summary>
    public double FlushCrashPercent { get; init; }

    /// <summary>
    /// Swarm testing (Groce et al., ISSTA 2012): each run of a suite draws its own configuration
    /// from its seed (<see cref="ForRun"/>): a cluster size in
    /// [<see cref="SwarmNodesMin"/>, <see cref="SwarmNodesMax"/>], a subset of <see cref="Faults"/>
    /// (possibly none), its own drop, duplicate and fault-event rates, crash limit, batch size, and
    /// crashes biased toward node-loop boundaries. Fewer features per run let the ones a run has
    /// act without others masking them (no loss, say, so a duplicate promise is counted): a swarm
    /// of varied configurations finds bugs one "everything on" configuration rarely reaches.
    /// </summary>
    public bool Swarm { get; init; }

    /// <summary>
    /// Whether a client reaches nodes through a gateway, as an Orleans client calls a grain through
    /// the silo it is connected to: client c's requests pass through node c mod
    /// <see cref="Nodes"/>, and are lost when that node's link to the target is cut (a request
    /// that arrives is answered: replies are not cut). Off, a cut is between nodes only and every
    /// request reaches its node. With <see cref="FaultKinds.IsolateLeader"/>,
    /// on is what leaves the isolated leader talking only to the clients behind it while the
    /// others write through a new leader.
    /// </summary>
    public bool ClientGateways { get; init; }

    /// <summary>Smallest cluster a swarm run draws.</summary>
    public int SwarmNodesMin { get; init; } = 3;

    /// <summary>Largest cluster a swarm run draws.</summary>
    public int SwarmNodesMax { get; init; } = 5;

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
        Require(BoundaryCrashPercent is >= 0 and <= 100, nameof(BoundaryCrashPercent), BoundaryCrashPercent, "must be a percentage");
        Require(FlushCrashPercent is >= 0 and <= 100, nameof(FlushCrashPercent), FlushCrashPercent, "must be a percentage");
        Require(SwarmNodesMin is >= 1 and <= 64, nameof(SwarmNodesMin), SwarmNodesMin, "must be between 1 and 64");
        Require(SwarmNodesMax >= SwarmNodesMin && SwarmNodesMax <= 64, nameof(SwarmNodesMax), SwarmNodesMax, "must be between SwarmNodesMin and 64");
    }

    private const ulong SwarmSalt = 0x5A4A2B;

    // Per flush, so small rates already crash often; the crash limit and the restarts (fault
    // events) pace them. A fifth of flushes is what lets a promise-not-written bug show in
    // sixty-step Paxos runs; none keeps a third of the runs free of the bias.
    private static readonly double[] BoundaryCrashPercents = [0, 5, 20];
    private static readonly double[] FlushCrashPercents = [2, 5];

    /// <summary>
    /// The options run <paramref name="seed"/> really uses: these, or with <see cref="Swarm"/> on, a
    /// configuration drawn from the seed (with <see cref="Swarm"/> off, so the result is final and a
    /// schedule that records it replays exactly).
    /// </summary>
    /// <remarks>
    /// Each fault kind of <see cref="Faults"/> is kept with probability one half, so about one run
    /// in 2^k has none; drop, duplicate and fault-event rates are drawn up to three times the
    /// options' own (loss is what most often masks a bug, so a third of the runs that keep it
    /// keep it light); the crash limit is drawn up to a minority; with crashes, a run biases them
    /// to node-loop boundaries and, in half of the runs, to the gap between a flush's write and its
    /// sends. Everything else (steps, liveness, delays) is the options' own.
    /// </remarks>
    public SimulationOptions ForRun(ulong seed)
    {
        if (!Swarm) return this;
        var random = new FastRandom(SeededRandom.Mix(seed, SwarmSalt));
        var nodes = SwarmNodesMin + random.Next(SwarmNodesMax - SwarmNodesMin + 1);
        var faults = FaultKinds.None;
        foreach (var kind in (ReadOnlySpan<FaultKinds>)[FaultKinds.Drop, FaultKinds.Duplicate, FaultKinds.Reorder, FaultKinds.Partition, FaultKinds.Crash, FaultKinds.Skew, FaultKinds.IsolateLeader])
            if (Faults.HasFlag(kind) && random.Chance(50)) faults |= kind;
        double Rate(double percent) => Math.Round(percent * (0.2 + 2.8 * random.Next(1_000) / 1_000.0), 2);
        var crashes = faults.HasFlag(FaultKinds.Crash);
        var minority = Math.Max(1, (nodes - 1) / 2);
        return this with
        {
            Swarm = false,
            Nodes = nodes,
            Faults = faults,
            DropPercent = Rate(DropPercent),
            DuplicatePercent = Rate(DuplicatePercent),
            FaultEventPercent = Rate(FaultEventPercent),
            MaxCrashedNodes = crashes ? 1 + random.Next(minority) : MaxCrashedNodes,
            MaxBatchSteps = 1 + random.Next(Math.Max(MaxBatchSteps * 2, 2)),
            BoundaryCrashPercent = crashes ? BoundaryCrashPercents[random.Next(BoundaryCrashPercents.Length)] : BoundaryCrashPercent,
            FlushCrashPercent = crashes && random.Chance(50) ? FlushCrashPercents[random.Next(FlushCrashPercents.Length)] : FlushCrashPercent,
        };
    }

    /// <summary>The configuration in one line (cluster, faults, rates, crash limits), as a swarm run prints it.</summary>
    public string DescribeConfiguration()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Nodes} nodes, faults {(Faults == FaultKinds.None ? "none" : Faults.ToString())}");
        if (Faults.HasFlag(FaultKinds.Drop)) text.Append(CultureInfo.InvariantCulture, $", drop {DropPercent}%");
        if (Faults.HasFlag(FaultKinds.Duplicate)) text.Append(CultureInfo.InvariantCulture, $", duplicate {DuplicatePercent}%");
        if ((Faults & (FaultKinds.Crash | FaultKinds.Partition | FaultKinds.Skew | FaultKinds.IsolateLeader)) != 0) text.Append(CultureInfo.InvariantCulture, $", fault events {FaultEventPercent}%");
        if (Faults.HasFlag(FaultKinds.Crash))
        {
            text.Append(CultureInfo.InvariantCulture, $", at most {MaxCrashed} down");
            if (BoundaryCrashPercent > 0) text.Append(CultureInfo.InvariantCulture, $", boundary crashes {BoundaryCrashPercent}%");
            if (FlushCrashPercent > 0) text.Append(CultureInfo.InvariantCulture, $", write-then-crash {FlushCrashPercent}%");
        }

        text.Append(CultureInfo.InvariantCulture, $", batches of 1..{MaxBatchSteps}");
        return text.ToString();
    }
}
