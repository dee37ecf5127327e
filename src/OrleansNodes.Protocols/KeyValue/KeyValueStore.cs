namespace OrleansNodes.Protocols.KeyValue;

/// <summary>
/// The replicated state machine: the key-value map, the dedup table, and the index of the last
/// applied slot. Because the whole node state is persisted, this record is also the snapshot:
/// compacting the log means dropping entries the store already reflects, and catching up a
/// replica that is behind the compaction point means sending it this record.
/// </summary>
/// <param name="AppliedIndex">The last slot applied (0: none). Slots are applied in order, each exactly once.</param>
/// <param name="Data">The map.</param>
/// <param name="Sessions">The dedup table: per client, its last applied request and reply.</param>
/// <param name="ExecutedCount">Commands executed so far (retries answered from the dedup table do not count); the "applied once" invariant reads it.</param>
/// <param name="HistoryDigest">A hash chained over every applied slot's batch: equal digests at equal indexes mean equal applied logs.</param>
[GenerateSerializer, Immutable, Alias("on.kv.KeyValueStore")]
public sealed record KeyValueStore(
    [property: Id(0)] long AppliedIndex,
    [property: Id(1)] ImmutableDictionary<string, string> Data,
    [property: Id(2)] ImmutableDictionary<ClientId, ClientSession> Sessions,
    [property: Id(3)] long ExecutedCount,
    [property: Id(4)] ulong HistoryDigest)
{
    /// <summary>The store before any slot is applied.</summary>
    public static readonly KeyValueStore Empty = new(
        0,
        ImmutableDictionary.Create<string, string>(StringComparer.Ordinal),
        ImmutableDictionary<ClientId, ClientSession>.Empty,
        0,
        StableHash.Seed);

    /// <summary>
    /// Applies the batch chosen for <paramref name="slot"/> (which must be
    /// <see cref="AppliedIndex"/> + 1). A command whose (client, sequence) is not newer than the
    /// client's session is a retry: it is not executed again; the latest one gets its saved reply.
    /// </summary>
    /// <param name="slot">The slot being applied.</param>
    /// <param name="batch">Its chosen value.</param>
    /// <param name="sessionsMax">The dedup table's bound (see <see cref="Evict"/>).</param>
    /// <param name="deduplicate">False only in mutation tests, to prove the checks notice double application.</param>
    /// <param name="reply">Receives each command's reply, or null when nobody is to be answered.</param>
    public KeyValueStore Apply(long slot, KeyValueBatch batch, int sessionsMax, bool deduplicate, Action<ClientCommand, KeyValueReply>? reply)
    {
        var digest = StableHash.Add(HistoryDigest, batch.Fingerprint());
        if (batch.IsNoop) return this with { AppliedIndex = slot, HistoryDigest = digest };

        var data = Data.ToBuilder();
        var sessions = Sessions.ToBuilder();
        var executed = ExecutedCount;
        foreach (var command in batch.Commands)
        {
            if (deduplicate && sessions.TryGetValue(command.Client, out var session) && command.Sequence <= session.Sequence)
            {
                // Older retries get nothing: their client has already seen that reply and moved on.
                if (command.Sequence == session.Sequence) reply?.Invoke(command, session.Reply);
                continue;
            }
            var result = Execute(data, command.Command);
            sessions[command.Client] = new ClientSession(command.Sequence, result, slot);
            executed++;
            reply?.Invoke(command, result);
        }
        Evict(sessions, sessionsMax);
        return new KeyValueStore(slot, data.ToImmutable(), sessions.ToImmutable(), executed, digest);
    }

    /// <summary>
    /// A hash of the map and the dedup table that does not depend on insertion order, for
    /// comparing replicas at the same <see cref="AppliedIndex"/>.
    /// </summary>
    public ulong ContentHash()
    {
        ulong hash = 0;
        foreach (var (key, value) in Data)
            hash += StableHash.Add(StableHash.Of(key), StableHash.Of(value));
        foreach (var (client, session) in Sessions)
            hash += StableHash.Add((ulong)client.Value, (ulong)session.Sequence);
        return hash;
    }

    /// <inheritdoc/>
    public override string ToString() => $"store@{AppliedIndex} keys={Data.Count} sessions={Sessions.Count}";

    private static KeyValueReply Execute(ImmutableDictionary<string, string>.Builder data, KeyValueCommand command)
    {
        switch (command)
        {
            case KeyValueCommand.Get get:
                return new KeyValueReply.Value(data.GetValueOrDefault(get.Key));
            case KeyValueCommand.Put put:
                data[put.Key] = put.Value;
                return KeyValueReply.Ok.Instance;
            case KeyValueCommand.Delete delete:
                data.Remove(delete.Key);
                return KeyValueReply.Ok.Instance;
            case KeyValueCommand.Append append:
                data[append.Key] = data.GetValueOrDefault(append.Key, "") + append.Suffix;
                return KeyValueReply.Ok.Instance;
            case KeyValueCommand.Cas cas:
                var current = data.GetValueOrDefault(cas.Key);
                if (current != cas.Expected) return new KeyValueReply.CasResult(false, current);
                data[cas.Key] = cas.New;
                return new KeyValueReply.CasResult(true, cas.New);
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command, "unknown command");
        }
    }

    /// <summary>
    /// The session rule that bounds the dedup table: beyond <paramref name="sessionsMax"/>
    /// clients, the one that was applied least recently is forgotten (ties: lowest client id,
    /// so every replica evicts the same one). A forgotten client that retries a request already
    /// applied would see it applied again, so <c>sessionsMax</c> must exceed the number of
    /// clients active within a retry window; hosts should treat an evicted client's session as
    /// expired (Raft thesis §6.3).
    /// </summary>
    private static void Evict(ImmutableDictionary<ClientId, ClientSession>.Builder sessions, int sessionsMax)
    {
        while (sessions.Count > sessionsMax)
        {
            var oldest = default(KeyValuePair<ClientId, ClientSession>);
            var found = false;
            foreach (var entry in sessions)
            {
                if (!found || entry.Value.LastSlot < oldest.Value.LastSlot ||
                    (entry.Value.LastSlot == oldest.Value.LastSlot && entry.Key.Value < oldest.Key.Value))
                {
                    oldest = entry;
                    found = true;
                }
            }
            sessions.Remove(oldest.Key);
        }
    }
}
