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
        (ghost, o) => o.Stepped is { } node && LogChanged(o) ? ghost.Observe(o.States[node.Value]) : ghost,
        (ghost, _) => !ghost.Conflict);

    /// <summary>What each applied index looked like the first time any replica reached it; shared by the two properties below.</summary>
    private static readonly Ghost<KeyValueState, IndexGhost> AppliedIndexes = Property.Ghost<KeyValueState, IndexGhost>(
        IndexGhost.Empty,
        (ghost, o) => o.Stepped is { } node && !ReferenceEquals(o.Before!.Store, o.After!.Store) ? ghost.Observe(o.States[node.Value].Store) : ghost);

    /// <summary>Replicas that applied the same number of slots applied the same batches: every applied log is a prefix of one sequence.</summary>
    public static readonly Property<KeyValueState> AppliedPrefix = AppliedIndexes.Always(
        "applied logs are prefixes of one sequence", (ghost, _) => !ghost.HistoryConflict);

    /// <summary>Replicas at equal applied index hold identical maps and dedup tables.</summary>
    public static readonly Property<KeyValueState> IdenticalStores = AppliedIndexes.Always(
        "replicas at equal applied index have identical stores", (ghost, _) => !ghost.ContentConflict);

    /// <summary>
    /// Each (client, sequence) is executed at most once: a step's executed-command count must
    /// match a small model of the dedup rule replayed over the slots the step applied. (It
    /// assumes <see cref="KeyValueSettings.SessionsMax"/> exceeds the clients active at once,
    /// the documented bound of the session rule.)
    /// </summary>
    public static readonly Property<KeyValueState> AppliedOnce = Property.Always<KeyValueState>(
        "no command applied twice", o => o.Stepped is null || ExecutedAsModelled(o.Before!, o.After!));

    /// <summary>Compaction never drops an entry that is not applied.</summary>
    public static readonly Property<KeyValueState> CompactionBehindApplied = Property.Always<KeyValueState>(
        "only applied entries are compacted", o => o.Stepped is not { } node || o.States[node.Value].CompactedIndex <= o.States[node.Value].Store.AppliedIndex);

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
        "a leader is elected and followed", o => Leader(o) is { } leader && AllUp(o, s => s.Promised == leader.Leadership!.Ballot));

    /// <summary>Liveness: once healed, every up replica has applied everything the leader has, and the leader has nothing in flight.</summary>
    public static readonly Property<KeyValueState> CaughtUp = Property.Eventually<KeyValueState>(
        "every up replica applied everything decided",
        o => Leader(o) is { Leadership: { InFlight.Count: 0, Pending.IsEmpty: true } } leader &&
             AllUp(o, s => s.Store.AppliedIndex == leader.Store.AppliedIndex));

    /// <summary>Every property above.</summary>
    public static readonly IReadOnlyList<Property<KeyValueState>> All =
    [
        Agreement, AppliedPrefix, IdenticalStores, AppliedOnce, CompactionBehindApplied,
        LeaderChangeSurvived, SnapshotInstalled, ChunkedSnapshotInstalled, ValueRecovered, Batched, LeaderElected, CaughtUp,
    ];

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

    private static bool ExecutedAsModelled(KeyValueState before, KeyValueState after)
    {
        if (ReferenceEquals(before.Store, after.Store) || after.CompactedIndex > before.Store.AppliedIndex) return true;
        var lastSequence = new Dictionary<ClientId, long>();
        long executed = 0;
        for (var slot = before.Store.AppliedIndex + 1; slot <= after.Store.AppliedIndex; slot++)
        {
            if (!after.Log.TryGetValue(slot, out var entry)) return true; // not visible: nothing to judge
            foreach (var command in entry.Value.Commands)
            {
                if (!lastSequence.TryGetValue(command.Client, out var last))
                    last = before.Store.Sessions.TryGetValue(command.Client, out var session) ? session.Sequence : long.MinValue;
                if (command.Sequence <= last) continue;
                lastSequence[command.Client] = command.Sequence;
                executed++;
            }
        }
        return after.Store.ExecutedCount - before.Store.ExecutedCount == executed;
    }

    /// <summary>Every batch any replica has known decided, by slot.</summary>
    private sealed record DecisionGhost(ImmutableDictionary<long, KeyValueBatch> Decided, bool Conflict)
    {
        public static readonly DecisionGhost Empty = new(ImmutableDictionary<long, KeyValueBatch>.Empty, false);

        public DecisionGhost Observe(KeyValueState state)
        {
            var decided = Decided;
            var conflict = Conflict;
            foreach (var (slot, entry) in state.Log)
            {
                if (!entry.Chosen && slot > state.Store.AppliedIndex) continue;
                if (!decided.TryGetValue(slot, out var known)) decided = decided.Add(slot, entry.Value);
                else if (!known.Equals(entry.Value)) conflict = true;
            }
            return ReferenceEquals(decided, Decided) && conflict == Conflict ? this : new DecisionGhost(decided, conflict);
        }
    }

    /// <summary>The history digest and content hash of the store first seen at each applied index.</summary>
    private sealed record IndexGhost(ImmutableDictionary<long, (ulong History, ulong Content)> Seen, bool HistoryConflict, bool ContentConflict)
    {
        public static readonly IndexGhost Empty = new(ImmutableDictionary<long, (ulong, ulong)>.Empty, false, false);

        public IndexGhost Observe(KeyValueStore store)
        {
            (ulong History, ulong Content) print = (store.HistoryDigest, store.ContentHash());
            if (!Seen.TryGetValue(store.AppliedIndex, out var known)) return this with { Seen = Seen.Add(store.AppliedIndex, print) };
            var history = HistoryConflict || known.History != print.History;
            var content = ContentConflict || known.Content != print.Content;
            return history == HistoryConflict && content == ContentConflict ? this : this with { HistoryConflict = history, ContentConflict = content };
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
