using OrleansNodes.Protocols.FailureDetector;

namespace OrleansNodes.Protocols.KeyValue;

/// <summary>
/// The key-value store's properties, checked by the simulator after every step. Decisions and
/// applied prefixes are remembered in ghost state, because replicas compact them away.
/// </summary>
public static class KeyValueProperties
{
    /// <summary>No two replicas ever decide different batches for one slot (Paxos safety, per slot).</summary>
    public static readonly Property<KeyValueState> Agreement = Property.Monitor<KeyValueState, DecisionGhost>(
        "agreement: one value per slot", PropertyKind.Always, DecisionGhost.Empty,
        (ghost, o) => o.Stepped is { } node && LogChanged(o) ? ghost.Observe(node, o.States[node.Value]) : ghost,
        (ghost, _) => ghost.Conflict is null,
        (ghost, _) => ghost.Conflict);

    /// <summary>What each applied index looked like the first time any replica reached it; shared by the two properties below.</summary>
    private static readonly Ghost<KeyValueState, IndexGhost> AppliedIndexes = Property.Ghost<KeyValueState, IndexGhost>(
        IndexGhost.Empty,
        (ghost, o) => o.Stepped is { } node && !ReferenceEquals(o.Before!.Store, o.After!.Store) ? ghost.Observe(node, o.States[node.Value].Store) : ghost);

    /// <summary>Replicas that applied the same number of slots applied the same batches: every applied log is a prefix of one sequence.</summary>
    public static readonly Property<KeyValueState> AppliedPrefix = AppliedIndexes.Always(
        "applied logs are prefixes of one sequence", (ghost, _) => ghost.HistoryConflict is null, (ghost, _) => ghost.HistoryConflict);

    /// <summary>Replicas at equal applied index hold identical maps and dedup tables.</summary>
    public static readonly Property<KeyValueState> IdenticalStores = AppliedIndexes.Always(
        "replicas at equal applied index have identical stores", (ghost, _) => ghost.ContentConflict is null, (ghost, _) => ghost.ContentConflict);

    /// <summary>
    /// Each (client, sequence) is executed at most once: a step's executed-command count must
    /// match a small model of the dedup rule replayed over the slots the step applied. (It
    /// assumes <see cref="KeyValueSettings.SessionsMax"/> exceeds the clients active at once,
    /// the documented bound of the session rule.)
    /// </summary>
    public static readonly Property<KeyValueState> AppliedOnce = Property.Always<KeyValueState>(
        "no command applied twice", o => o.Stepped is null || ExecutedAsModelled(o.Before!, o.After!),
        o => o.Stepped is { } node && ExecutedCounts(o.Before!, o.After!) is var (modelled, executed)
            ? $"{node} applied slots {o.Before!.Store.AppliedIndex + 1}..{o.After!.Store.AppliedIndex} and executed {executed} commands; the dedup rule allows {modelled}"
            : null);

    /// <summary>Compaction never drops an entry that is not applied.</summary>
    public static readonly Property<KeyValueState> CompactionBehindApplied = Property.Always<KeyValueState>(
        "only applied entries are compacted", o => o.Stepped is not { } node || o.States[node.Value].CompactedIndex <= o.States[node.Value].Store.AppliedIndex,
        o => o.Stepped is { } node ? $"{node} compacted through slot {o.After!.CompactedIndex} but applied only through {o.After.Store.AppliedIndex}" : null);

    /// <summary>
    /// P1a, per replica (as Paxos' <c>AcceptorKeepsItsPromise</c>): a step never lowers the
    /// promise, and every value it accepts (a log entry it wrote or overwrote, not known chosen)
    /// carries a ballot between its promise before the step and its promise after it: nothing
    /// below a promise made, nothing above one not made. Without it, a replica whose promise fell
    /// back let two leaders of one ballot go unnoticed for thousands of seeds.
    /// </summary>
    public static readonly Property<KeyValueState> PromiseKept = Property.Always<KeyValueState>(
        "a replica's promise never decreases and it accepts only at its promise", o => BrokenPromise(o) is null, BrokenPromise);

    /// <summary>Goal: leadership moved to another ballot and the log kept growing after it.</summary>
    public static readonly Property<KeyValueState> LeaderChangeSurvived = Property.Monitor<KeyValueState, LeaderGhost>(
        "a leader changed and the log kept going", PropertyKind.Sometimes, LeaderGhost.Empty,
        (ghost, o) => o.Stepped is { } node ? ghost.Observe(o.States[node.Value]) : ghost,
        (ghost, o) => ghost.AppliedAtChange >= 0 && o.Stepped is { } node && o.States[node.Value].Store.AppliedIndex > ghost.AppliedAtChange);

    /// <summary>Goal: a lagging replica was caught up with a snapshot, past the leader's compaction point.</summary>
    public static readonly Property<KeyValueState> SnapshotInstalled = Property.Sometimes<KeyValueState>(
        "a snapshot was installed by catch-up",
        o => o.Stepped is { } node && o.States[node.Value].CompactedIndex > o.Before!.Store.AppliedIndex);

    /// <summary>Goal: a snapshot arrived in several chunks, one at a time, and was installed.</summary>
    public static readonly Property<KeyValueState> ChunkedSnapshotInstalled = Property.Sometimes<KeyValueState>(
        "a snapshot arrived in several chunks and was installed",
        o => o.Stepped is { } node && o.Before!.Receiving is { Chunks.Count: >= 1 } && o.States[node.Value].Receiving is null &&
             o.States[node.Value].CompactedIndex > o.Before.Store.AppliedIndex);

    /// <summary>Goal: a new leader took over a value its predecessor had proposed but not (known) chosen, and proposes it again.</summary>
    public static readonly Property<KeyValueState> ValueRecovered = Property.Sometimes<KeyValueState>(
        "a new leader re-proposed a value accepted in an older ballot",
        o => o.Stepped is { } node && o.Before!.Leadership is null && o.States[node.Value].Leadership is { } leadership &&
             leadership.InFlight.Values.Any(p => !p.Value.IsNoop));

    /// <summary>Goal: one slot carried several client commands.</summary>
    public static readonly Property<KeyValueState> Batched = Property.Sometimes<KeyValueState>(
        "a slot carried a batch of several commands",
        o => o.Stepped is { } node && o.States[node.Value].Leadership is { } leadership && leadership.InFlight.Values.Any(p => p.Value.Commands.Length > 1));

    /// <summary>Liveness: once healed, some up replica leads and every up replica follows its ballot.</summary>
    public static readonly Property<KeyValueState> LeaderElected = Property.Eventually<KeyValueState>(
        "a leader is elected and followed", o => Leader(o) is { } leader && AllUp(o, s => s.Promised == leader.Leadership!.Ballot),
        o => Leader(o) is { } leader
            ? $"leader {leader.Leadership!.Ballot} is not followed by every up replica: {Replicas(o, s => $"{s.Role} promised {s.Promised}")}"
            : $"no up replica leads: {Replicas(o, s => $"{s.Role} promised {s.Promised}")}");

    /// <summary>Liveness: once healed, every up replica has applied everything the leader has, and the leader has nothing in flight.</summary>
    public static readonly Property<KeyValueState> CaughtUp = Property.Eventually<KeyValueState>(
        "every up replica applied everything decided",
        o => Leader(o) is { Leadership: { InFlight.Count: 0, Pending.IsEmpty: true } } leader &&
             AllUp(o, s => s.Store.AppliedIndex == leader.Store.AppliedIndex),
        o => Leader(o) is { Leadership: { } leadership } leader
            ? $"leader {leadership.Ballot} has {leadership.InFlight.Count} slot(s) in flight and {leadership.Pending.Length} pending; applied: {Replicas(o, s => s.Store.AppliedIndex.ToString(System.Globalization.CultureInfo.InvariantCulture))}"
            : "no up replica leads");

    /// <summary>How the availability property's name begins; its bound in rounds follows (<see cref="StepDownBoundRounds"/>).</summary>
    public const string StepDownName = "a leader cut off from a majority steps down within ";

    /// <summary>
    /// Availability, with the settings' <see cref="KeyValueSettings.ElectionTimeoutTicksMax"/> of
    /// <see cref="KeyValueSettings.Default"/>; <see cref="For(KeyValueSettings)"/> builds it for other settings.
    /// </summary>
    public static readonly Property<KeyValueState> LeaderStepsDownWhenCutOff = StepDownWithin(KeyValueSettings.Default, NetworkBounds.Simulator);

    /// <summary>Every property above, for the default election timeouts.</summary>
    public static readonly IReadOnlyList<Property<KeyValueState>> All = For(KeyValueSettings.Default);

    /// <summary>Every property, with the leader's step-down bound derived from <paramref name="settings"/>.</summary>
    public static IReadOnlyList<Property<KeyValueState>> For(KeyValueSettings settings) => For(settings, NetworkBounds.Simulator);

    /// <summary>
    /// Every property, with the leader's step-down bound derived from <paramref name="settings"/>
    /// and the rounds of <paramref name="network"/> (see <see cref="StepDownBoundRounds"/>): an
    /// exhaustive search, whose round ends when every node has ticked once more and whose cut
    /// links lose what they carry, has no delay to wait for and no slow clock.
    /// </summary>
    public static IReadOnlyList<Property<KeyValueState>> For(KeyValueSettings settings, NetworkBounds network)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(network);
        var stepDown = settings.ElectionTimeoutTicksMax == KeyValueSettings.Default.ElectionTimeoutTicksMax && network == NetworkBounds.Simulator
            ? LeaderStepsDownWhenCutOff
            : StepDownWithin(settings, network);
        return
        [
            Agreement, AppliedPrefix, IdenticalStores, AppliedOnce, CompactionBehindApplied, PromiseKept, stepDown,
            LeaderChangeSurvived, SnapshotInstalled, ChunkedSnapshotInstalled, ValueRecovered, Batched, LeaderElected, CaughtUp,
        ];
    }

    /// <summary>
    /// How many rounds a leader may go on leading once it is cut off from a majority (it cannot
    /// exchange messages both ways with enough up replicas to make one, itself included).
    /// </summary>
    /// <remarks>
    /// Check-quorum steps a leader down on the tick at which a majority has been silent for
    /// <see cref="KeyValueSettings.ElectionTimeoutTicksMax"/> ticks. The last acknowledgement may
    /// have arrived just before the cut, so the leader needs that many ticks more, plus the one
    /// that checks: <c>Max + 1</c> ticks. The slowest clock ticks once per
    /// <see cref="NetworkBounds.MaxTickSkew"/> rounds, so they take at most
    /// <c>MaxTickSkew × (Max + 1)</c> rounds. An acknowledgement a peer sent before it crashed is
    /// still delivered within <see cref="NetworkBounds.MaxMessageDelayRounds"/> rounds (a cut link
    /// drops it at once, a crash does not), and may reset the count once: add that, and one round
    /// for the cut landing after the round's ticks. With the defaults (20 ticks, skew 2, delay 4):
    /// 2 × 21 + 4 + 1 = 47 rounds.
    /// </remarks>
    public static long StepDownBoundRounds(KeyValueSettings settings, NetworkBounds network)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(network);
        return (long)network.MaxTickSkew * (settings.ElectionTimeoutTicksMax + 1) + network.MaxMessageDelayRounds + 1;
    }

    private static Property<KeyValueState> StepDownWithin(KeyValueSettings settings, NetworkBounds network)
    {
        var bound = StepDownBoundRounds(settings, network);
        return Property.Monitor<KeyValueState, CutOffGhost>(
            $"{StepDownName}{bound} rounds", PropertyKind.Always, CutOffGhost.Empty,
            (ghost, o) => ghost.Observe(o),
            (ghost, o) => ghost.Overdue(o, bound) < 0,
            (ghost, o) => ghost.Overdue(o, bound) is var node and >= 0
                ? $"n{node} has led ballot {ghost.Leaders[node].Ballot} cut off from a majority since round {ghost.Leaders[node].Since} " +
                  $"({o.Time - ghost.Leaders[node].Since} rounds; it can talk with {Reaches(o, node)})"
                : null);
    }

    private static string Reaches(Observation<KeyValueState> o, int node)
    {
        var peers = new List<string>();
        for (var peer = 0; peer < o.Count; peer++)
            if (peer != node && o.Connected(new NodeId(node), new NodeId(peer))) peers.Add($"n{peer}");
        return peers.Count == 0 ? "no one" : string.Join(", ", peers);
    }

    private static string Replicas(Observation<KeyValueState> o, Func<KeyValueState, string> describe)
    {
        var parts = new List<string>();
        for (var i = 0; i < o.Count; i++) parts.Add($"n{i} {(o.Up[i] ? describe(o.States[i]) : "down")}");
        return string.Join(", ", parts);
    }

    private static string? BrokenPromise(Observation<KeyValueState> o)
    {
        if (o.Stepped is not { } node || o.Before is not { } before || o.After is not { } after) return null;
        if (after.Promised < before.Promised) return $"{node}'s promise went down from {before.Promised} to {after.Promised}";
        if (ReferenceEquals(before.Log, after.Log)) return null;
        foreach (var (slot, entry) in after.Log)
        {
            if (entry.Chosen || before.Log.TryGetValue(slot, out var was) && was.SameVote(entry)) continue;
            if (entry.Ballot < before.Promised) return $"{node} accepted {entry} in slot {slot} below its promise {before.Promised}";
            if (entry.Ballot > after.Promised) return $"{node} accepted {entry} in slot {slot} above its promise {after.Promised} without promising it";
        }

        return null;
    }

    private static bool LogChanged(Observation<KeyValueState> o) =>
        !ReferenceEquals(o.Before!.Log, o.After!.Log) || !ReferenceEquals(o.Before.Store, o.After.Store);

    private static KeyValueState? Leader(Observation<KeyValueState> o)
    {
        KeyValueState? leader = null;
        for (var i = 0; i < o.Count; i++)
            if (o.Up[i] && o.States[i].Leadership is { } l && (leader is null || l.Ballot > leader.Leadership!.Ballot)) leader = o.States[i];
        return leader;
    }

    private static bool AllUp(Observation<KeyValueState> o, Func<KeyValueState, bool> holds)
    {
        for (var i = 0; i < o.Count; i++)
            if (o.Up[i] && !holds(o.States[i])) return false;
        return true;
    }

    private static bool ExecutedAsModelled(KeyValueState before, KeyValueState after) =>
        ExecutedCounts(before, after) is not var (modelled, executed) || modelled == executed;

    /// <summary>Commands the dedup rule lets the step execute, and how many it did; null when the step applied nothing judgeable.</summary>
    private static (long Modelled, long Executed)? ExecutedCounts(KeyValueState before, KeyValueState after)
    {
        if (ReferenceEquals(before.Store, after.Store) || after.CompactedIndex > before.Store.AppliedIndex) return null;
        var lastSequence = new Dictionary<ClientId, long>();
        long executed = 0;
        for (var slot = before.Store.AppliedIndex + 1; slot <= after.Store.AppliedIndex; slot++)
        {
            if (!after.Log.TryGetValue(slot, out var entry)) return null; // not visible: nothing to judge
            foreach (var command in entry.Value.Commands)
            {
                if (!lastSequence.TryGetValue(command.Client, out var last))
                    last = before.Store.Sessions.TryGetValue(command.Client, out var session) ? session.Sequence : long.MinValue;
                if (command.Sequence <= last) continue;
                lastSequence[command.Client] = command.Sequence;
                executed++;
            }
        }
        return (executed, after.Store.ExecutedCount - before.Store.ExecutedCount);
    }

    /// <summary>Every batch any replica has known decided, by slot, with the first replica that knew it, and the first conflict.</summary>
    private sealed record DecisionGhost(ImmutableDictionary<long, (KeyValueBatch Batch, NodeId Node)> Decided, string? Conflict)
    {
        public static readonly DecisionGhost Empty = new(ImmutableDictionary<long, (KeyValueBatch, NodeId)>.Empty, null);

        public DecisionGhost Observe(NodeId node, KeyValueState state)
        {
            var decided = Decided;
            var conflict = Conflict;
            foreach (var (slot, entry) in state.Log)
            {
                if (!entry.Chosen && slot > state.Store.AppliedIndex) continue;
                if (!decided.TryGetValue(slot, out var known)) decided = decided.Add(slot, (entry.Value, node));
                else if (conflict is null && !known.Batch.Equals(entry.Value))
                    conflict = $"slot {slot} has {known.Batch} at {known.Node} and {entry.Value} at {node}";
            }
            return ReferenceEquals(decided, Decided) && conflict == Conflict ? this : new DecisionGhost(decided, conflict);
        }
    }

    /// <summary>The history digest and content hash of the store first seen at each applied index, with the replica it was seen at.</summary>
    private sealed record IndexGhost(ImmutableDictionary<long, (ulong History, ulong Content, NodeId Node)> Seen, string? HistoryConflict, string? ContentConflict)
    {
        public static readonly IndexGhost Empty = new(ImmutableDictionary<long, (ulong, ulong, NodeId)>.Empty, null, null);

        public IndexGhost Observe(NodeId node, KeyValueStore store)
        {
            (ulong History, ulong Content, NodeId Node) print = (store.HistoryDigest, store.ContentHash(), node);
            if (!Seen.TryGetValue(store.AppliedIndex, out var known)) return this with { Seen = Seen.Add(store.AppliedIndex, print) };
            var history = HistoryConflict ?? (known.History != print.History
                ? $"at applied index {store.AppliedIndex}, {node} applied a different sequence of batches than {known.Node}"
                : null);
            var content = ContentConflict ?? (known.Content != print.Content
                ? $"at applied index {store.AppliedIndex}, {node}'s store differs from {known.Node}'s"
                : null);
            return history == HistoryConflict && content == ContentConflict ? this : this with { HistoryConflict = history, ContentConflict = content };
        }
    }

    /// <summary>Per replica, the ballot it leads while cut off from a majority, and since which round; allocates only when that changes.</summary>
    private sealed record CutOffGhost(ImmutableArray<(Ballot? Ballot, long Since)> Leaders)
    {
        public static readonly CutOffGhost Empty = new(ImmutableArray<(Ballot?, long)>.Empty);

        public CutOffGhost Observe(Observation<KeyValueState> o)
        {
            var fresh = Leaders.IsDefaultOrEmpty;
            var leaders = fresh ? ImmutableArray.Create(new (Ballot? Ballot, long Since)[o.Count]) : Leaders;
            var builder = (ImmutableArray<(Ballot? Ballot, long Since)>.Builder?)null;
            var majority = o.Count / 2 + 1;
            for (var i = 0; i < o.Count; i++)
            {
                (Ballot? Ballot, long Since) next = (null, 0);
                if (o.Up[i] && o.States[i].Leadership is { } leadership && !CanReachMajority(o, i, majority))
                    next = leaders[i].Ballot == leadership.Ballot ? leaders[i] : (leadership.Ballot, o.Time);
                if (next == leaders[i]) continue;
                builder ??= leaders.ToBuilder();
                builder[i] = next;
            }

            return builder is not null ? new CutOffGhost(builder.ToImmutable()) : fresh ? new CutOffGhost(leaders) : this;
        }

        /// <summary>A replica that has led cut off for longer than <paramref name="bound"/> rounds, or -1.</summary>
        public int Overdue(Observation<KeyValueState> o, long bound)
        {
            for (var i = 0; i < Leaders.Length; i++)
                if (Leaders[i].Ballot is not null && o.Time - Leaders[i].Since > bound) return i;
            return -1;
        }

        private static bool CanReachMajority(Observation<KeyValueState> o, int node, int majority)
        {
            var reached = 1;
            for (var peer = 0; peer < o.Count && reached < majority; peer++)
                if (peer != node && o.Connected(new NodeId(node), new NodeId(peer))) reached++;
            return reached >= majority;
        }
    }

    /// <summary>The first leader's ballot, and the highest applied index when a second leader appeared.</summary>
    private sealed record LeaderGhost(Ballot? First, long AppliedAtChange)
    {
        public static readonly LeaderGhost Empty = new(null, -1);

        public LeaderGhost Observe(KeyValueState state)
        {
            if (state.Leadership is not { } leadership) return this;
            if (First is null) return this with { First = leadership.Ballot };
            return AppliedAtChange < 0 && leadership.Ballot != First ? this with { AppliedAtChange = state.Store.AppliedIndex } : this;
        }
    }
}
