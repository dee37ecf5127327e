namespace OrleansNodes.Simulation.Exploration;

/// <summary>How an exhaustive search runs, and the bounds that make its state space finite.</summary>
/// <remarks>
/// The search explores every interleaving of the actions these bounds allow: deliver any message
/// in flight (the network is a multiset, unordered like Orleans' one-way calls), drop or duplicate
/// one, tick a node, crash or restart a node, cut a node off from its peers or heal the cut, and
/// deliver a client's request, or send it to another node (a retry). A node flushes after
/// every step (a batch of one), so a crash loses nothing it stepped; the random simulator covers
/// larger batches.
/// </remarks>
public sealed record ExplorationOptions
{
    /// <summary>Number of nodes.</summary>
    public int Nodes { get; init; } = 3;

    /// <summary>The seed the nodes' configurations derive from, as in a simulator run with this seed.</summary>
    public ulong Seed { get; init; }

    /// <summary>Breadth-first (the first counterexample is a shortest one) or depth-first (less memory).</summary>
    public SearchOrder Order { get; init; } = SearchOrder.BreadthFirst;

    /// <summary>Paths longer than this many actions are not followed.</summary>
    public int MaxDepth { get; init; } = 30;

    /// <summary>Ticks each node may take on one path (0: time never passes).</summary>
    public int TicksPerNode { get; init; }

    /// <summary>
    /// How many ticks a node may be ahead of the slowest node that is up (null: any number).
    /// Clocks that drift apart only so far are what the simulator's skew assumes, and what a
    /// property that counts rounds needs: a search round ends when every node has ticked once
    /// more, so a node far ahead could sit idle for rounds. With a lead of 1, a node ticks at
    /// least once in every round but one.
    /// </summary>
    public int? MaxTickLead { get; init; }

    /// <summary>Crashes on one path (each crashed node may restart).</summary>
    public int MaxCrashes { get; init; }

    /// <summary>Messages one path may drop.</summary>
    public int MaxDrops { get; init; }

    /// <summary>Messages one path may duplicate.</summary>
    public int MaxDuplicates { get; init; }

    /// <summary>
    /// Times one path may cut a node off from its peers (both ways; clients still reach it) until
    /// a heal. A message sent on a cut link is lost when it would be delivered, as in the
    /// simulator. One node is cut off at a time.
    /// </summary>
    public int MaxPartitions { get; init; }

    /// <summary>Messages in flight at once; a step that would send more is not explored (it counts as pruned).</summary>
    public int MaxInFlight { get; init; } = 64;

    /// <summary>
    /// Explore only the paths that leave a default schedule at most this many times (null: every
    /// path). The default schedule delivers the oldest message in flight, else a client's request,
    /// else restarts a crashed node, else ticks the node that has ticked least; any other action
    /// (another message first, a drop, a crash, an early tick) is a delay. This is delay-bounded
    /// search (Emmi, Qadeer and Rakamarić, POPL 2011): bugs that take long executions but few
    /// unusual choices come within reach, at the price of completeness. A violation found is a
    /// real one; "no violation" speaks only for the schedules within the budget.
    /// </summary>
    public int? MaxDelays { get; init; }

    /// <summary>
    /// With <see cref="MaxDelays"/>: a crash, a cut or a heal taken while no message is in flight
    /// costs no delay (<see cref="MaxCrashes"/> and <see cref="MaxPartitions"/> still bound them);
    /// elsewhere it costs one, as any departure from the default schedule. The default schedule
    /// ticks only when the network is quiet, so a path has one quiet point per tick or so, where a
    /// simulator's round would begin: a bug that takes a sequence of faults in a plain order of
    /// messages (two leader changes, each after a cut, and a crash) then needs no delay at all,
    /// while a fault anywhere among a path's hundreds of steps would need one each.
    /// </summary>
    public bool QuietFaults { get; init; }

    /// <summary>Explore up to a permutation of node ids (only for protocols that declare their nodes interchangeable).</summary>
    public bool Symmetry { get; init; }

    /// <summary>Worker threads.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Stop after this many unique states (a memory bound); the report then says the search was cut short.</summary>
    public long MaxStates { get; init; } = 50_000_000;

    /// <summary>
    /// Stop when the managed heap holds more than this many bytes (the states waiting to be
    /// expanded, mostly); the report then says the search was cut short. The default is half of
    /// the memory the runtime may use on this machine.
    /// </summary>
    public long MaxMemoryBytes { get; init; } = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2;

    /// <summary>Clients, each running a script of this many operations (0 clients: no requests).</summary>
    public int Clients { get; init; }

    /// <summary>Operations in each client's script.</summary>
    public int OperationsPerClient { get; init; } = 1;

    /// <summary>Times a client follows a redirect (or tries the next node) for one operation.</summary>
    public int MaxRedirects { get; init; } = 2;

    /// <summary>
    /// Times one path may have a client send a request (same sequence number) to another node than
    /// the one it waits on or means it for: again after waiting, as a client whose request timed
    /// out does (the store's deduplication must then apply it once), or first, as a client whose
    /// leader cache is stale does (a deposed leader must not answer it from its own state).
    /// 0: clients wait for as long as it takes, at the node their redirects name.
    /// </summary>
    public int MaxRetries { get; init; }

    /// <summary>
    /// Rounds of the liveness phase run from every terminal state (one with no action left within
    /// the bounds) and every state at the depth bound: crashed nodes restart, then each round every
    /// node ticks once and every message then in flight is delivered, oldest first, with every
    /// client request. Every <c>Eventually</c> property must hold at some point of it. 0 skips
    /// liveness. A failure is a real one (a fair, fault-free continuation of a reachable state);
    /// a pass says nothing of states the bounds kept the search from.
    /// </summary>
    public int LivenessRounds { get; init; }

    /// <summary>Check that <c>Recover</c> restores the hard state it was given (as <see cref="SimulationOptions.CheckRecovery"/>).</summary>
    public bool CheckRecovery { get; init; } = true;

    /// <summary>Stop at the first violation (otherwise count every violating state and keep the first).</summary>
    public bool StopAtViolation { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        static void Require(bool ok, string name, object value, string rule)
        {
            if (!ok) throw new ArgumentException($"option {name} = {value}: {rule}", name);
        }

        Require(Nodes is >= 1 and <= 16, nameof(Nodes), Nodes, "must be between 1 and 16");
        Require(MaxDepth >= 0, nameof(MaxDepth), MaxDepth, "must not be negative");
        Require(TicksPerNode is >= 0 and <= 250, nameof(TicksPerNode), TicksPerNode, "must be between 0 and 250");
        Require(MaxTickLead is null or (>= 1 and <= 250), nameof(MaxTickLead), MaxTickLead!, "must be between 1 and 250");
        Require(MaxCrashes is >= 0 and <= 250, nameof(MaxCrashes), MaxCrashes, "must be between 0 and 250");
        Require(MaxDrops is >= 0 and <= 250, nameof(MaxDrops), MaxDrops, "must be between 0 and 250");
        Require(MaxDuplicates is >= 0 and <= 250, nameof(MaxDuplicates), MaxDuplicates, "must be between 0 and 250");
        Require(MaxPartitions is >= 0 and <= 250, nameof(MaxPartitions), MaxPartitions, "must be between 0 and 250");
        Require(MaxInFlight >= 1, nameof(MaxInFlight), MaxInFlight, "must be at least 1");
        Require(Threads is >= 1 and <= 256, nameof(Threads), Threads, "must be between 1 and 256");
        Require(MaxStates >= 1, nameof(MaxStates), MaxStates, "must be at least 1");
        Require(MaxMemoryBytes >= 1 << 20, nameof(MaxMemoryBytes), MaxMemoryBytes, "must be at least 1 MiB");
        Require(Clients is >= 0 and <= 16, nameof(Clients), Clients, "must be between 0 and 16");
        Require(OperationsPerClient is >= 1 and <= 16, nameof(OperationsPerClient), OperationsPerClient, "must be between 1 and 16");
        Require(LivenessRounds >= 0 && TicksPerNode + LivenessRounds <= 255, nameof(LivenessRounds), LivenessRounds, "must not be negative, and with TicksPerNode at most 255");
        Require(MaxRetries is >= 0 and <= 250, nameof(MaxRetries), MaxRetries, "must be between 0 and 250");
        Require(MaxRedirects is >= 0 and <= 16, nameof(MaxRedirects), MaxRedirects, "must be between 0 and 16");
        Require(MaxDelays is null or (>= 0 and <= 250), nameof(MaxDelays), MaxDelays!, "must be between 0 and 250");
        Require(!QuietFaults || MaxDelays is not null, nameof(QuietFaults), QuietFaults, "needs MaxDelays (the faults it frees are the default schedule's delays)");
        Require(!Symmetry || MaxDelays is null, nameof(Symmetry), Symmetry, "cannot be combined with MaxDelays (the default schedule breaks ties by node id)");
        Require(!Symmetry || Nodes <= 6, nameof(Symmetry), Symmetry, "works up to 6 nodes (720 permutations)");
    }
}

/// <summary>The order in which an exhaustive search visits states.</summary>
public enum SearchOrder
{
    /// <summary>Level by level: the first violation found is at the smallest depth, so its path is a shortest counterexample.</summary>
    BreadthFirst,

    /// <summary>Deepest first: memory grows with the depth, not with the widest level.</summary>
    DepthFirst,
}
