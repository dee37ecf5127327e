namespace OrleansNodes.Protocols.KeyValue;

/// <summary>
/// The replicated state machine: the key-value map, the dedup table, and the index of the last
/// applied slot. It is rebuilt on recovery from its last snapshot plus the durable log, and it is
/// what a snapshot holds: cut into <see cref="KeyValueChunk"/>s by position, for storage and for
/// a replica that is behind the leader's compaction point.
/// </summary>
/// <param name="AppliedIndex">The last slot applied (0: none). Slots are applied in order, each exactly once.</param>
/// <param name="Data">The map, ordered by key (<see cref="KeyValueItem.ByKey"/>).</param>
/// <param name="Sessions">The dedup table: per client, its last applied request and reply.</param>
/// <param name="ExecutedCount">Commands executed so far (retries answered from the dedup table do not count); the "applied once" invariant reads it.</param>
/// <param name="HistoryDigest">A hash chained over every applied slot's batch: equal digests at equal indexes mean equal applied logs.</param>
/// <param name="DataBytes">The estimated size of the map (<see cref="KeyValueItem.EstimatedBytes"/> summed), which decides when a snapshot is due.</param>
[GenerateSerializer, Immutable, Alias("on.kv.KeyValueStore")]
public sealed record KeyValueStore(
    [property: Id(0)] long AppliedIndex,
    [property: Id(1)] ImmutableSortedSet<KeyValueItem> Data,
    [property: Id(2)] ImmutableDictionary<ClientId, ClientSession> Sessions,
    [property: Id(3)] long ExecutedCount,
    [property: Id(4)] ulong HistoryDigest,
    [property: Id(5)] long DataBytes)
{
    /// <summary>The store before any slot is applied.</summary>
    public static readonly KeyValueStore Empty = new(
        0,
        ImmutableSortedSet.Create(KeyValueItem.ByKey),
        ImmutableDictionary<ClientId, ClientSession>.Empty,
        0,
        StableHash.Seed,
        0);

    /// <summary>Map entries plus sessions: the items a snapshot of this store is cut from.</summary>
    public long ItemCount => Data.Count + Sessions.Count;

    /// <summary>The value of <paramref name="key"/>, or null when it is missing.</summary>
    public string? Get(string key) => Data.TryGetValue(KeyValueItem.Probe(key), out var item) ? item.Value : null;

    /// <summary>
    /// Applies the batch chosen for <paramref name="slot"/> (which must be
    /// <see cref="AppliedIndex"/> + 1). A command whose (client, sequence) is not newer than the
    /// client's session is a retry: it is not executed again; the latest one gets its saved reply.
    /// </summary>
    /// <param name="slot">The slot being applied.</param>
    /// <param name="batch">Its chosen value.</param>
    /// <param name="sessionsMax">The dedup table's bound (see <see cref="Evict"/>).</param>
    /// <param name="reply">Receives each command's reply, or null when nobody is to be answered.</param>
    public KeyValueStore Apply(long slot, KeyValueBatch batch, int sessionsMax, Action<ClientCommand, KeyValueReply>? reply)
    {
        var digest = StableHash.Add(HistoryDigest, batch.Fingerprint());
        if (batch.IsNoop) return this with { AppliedIndex = slot, HistoryDigest = digest };

        var data = Data.ToBuilder();
        var sessions = Sessions.ToBuilder();
        var executed = ExecutedCount;
        var bytes = DataBytes;
        foreach (var command in batch.Commands)
        {
            if (sessions.TryGetValue(command.Client, out var session) && command.Sequence <= session.Sequence)
            {
                // Older retries get nothing: their client has already seen that reply and moved on.
                if (command.Sequence == session.Sequence) reply?.Invoke(command, session.Reply);
                continue;
            }
            var result = Execute(data, command.Command, ref bytes);
            sessions[command.Client] = new ClientSession(command.Sequence, result, slot);
            executed++;
            reply?.Invoke(command, result);
        }
        Evict(sessions, sessionsMax);
        return new KeyValueStore(slot, data.ToImmutable(), sessions.ToImmutable(), executed, digest, bytes);
    }

    /// <summary>
    /// The chunk of this store's snapshot that starts at item <paramref name="position"/>: as many
    /// items as fit in <paramref name="bytesMax"/> (at least one, so every chunk makes progress).
    /// Map entries come first in key order, then sessions in client order; both orders are the
    /// same in every process, so a transfer resumed at a position continues where it stopped.
    /// </summary>
    public KeyValueChunk Chunk(long position, long bytesMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        var items = ImmutableArray.CreateBuilder<KeyValueItem>();
        var sessions = ImmutableArray.CreateBuilder<SessionItem>();
        long bytes = 0;
        var next = position;
        for (; next < Data.Count; next++)
        {
            var item = Data[(int)next];
            if (items.Count > 0 && bytes + item.EstimatedBytes > bytesMax) break;
            items.Add(item);
            bytes += item.EstimatedBytes;
        }
        if (next >= Data.Count && next < ItemCount && (items.Count == 0 || bytes < bytesMax))
        {
            foreach (var session in OrderedSessions().Skip((int)(next - Data.Count)))
            {
                if (items.Count + sessions.Count > 0 && bytes + session.EstimatedBytes > bytesMax) break;
                sessions.Add(session);
                bytes += session.EstimatedBytes;
            }
        }
        return new KeyValueChunk(AppliedIndex, position, ItemCount, items.DrainToImmutable(), sessions.DrainToImmutable(), ExecutedCount, HistoryDigest);
    }

    /// <summary>
    /// The whole snapshot, chunk by chunk, lazily (the host enumerates it when it writes the
    /// snapshot): the chunks <see cref="Chunk"/> gives at each chunk's position, the full ones
    /// read in one pass over the map rather than a lookup per item.
    /// </summary>
    public IEnumerable<KeyValueChunk> Chunks(long bytesMax)
    {
        var items = ImmutableArray.CreateBuilder<KeyValueItem>();
        long bytes = 0;
        long position = 0;
        foreach (var item in Data)
        {
            if (items.Count > 0 && bytes + item.EstimatedBytes > bytesMax)
            {
                var full = new KeyValueChunk(AppliedIndex, position, ItemCount, items.DrainToImmutable(), [], ExecutedCount, HistoryDigest);
                position = full.End;
                bytes = 0;
                yield return full;
            }
            items.Add(item);
            bytes += item.EstimatedBytes;
        }
        // The last map items may share their chunk with sessions: from here on, as Chunk cuts it.
        do
        {
            var chunk = Chunk(position, bytesMax);
            yield return chunk;
            position = chunk.End;
        }
        while (position < ItemCount);
    }

    /// <summary>Rebuilds a store from every chunk of one snapshot, in order.</summary>
    /// <exception cref="InvalidDataException">The chunks are not one whole snapshot, in order.</exception>
    public static KeyValueStore FromChunks(IEnumerable<KeyValueChunk> chunks)
    {
        var data = new List<KeyValueItem>();
        var sessions = ImmutableDictionary.CreateBuilder<ClientId, ClientSession>();
        KeyValueChunk? first = null;
        long expected = 0;
        long bytes = 0;
        foreach (var chunk in chunks)
        {
            first ??= chunk;
            if (chunk.AppliedIndex != first.AppliedIndex || chunk.Position != expected || chunk.ItemCount != first.ItemCount)
                throw new InvalidDataException($"snapshot chunk {chunk} does not follow position {expected} of snapshot@{first.AppliedIndex}");
            foreach (var item in chunk.Items)
            {
                data.Add(item);
                bytes += item.EstimatedBytes;
            }
            foreach (var session in chunk.Sessions) sessions[session.Client] = session.Session;
            expected = chunk.End;
        }
        if (first is null) throw new InvalidDataException("a snapshot has at least one chunk");
        if (expected != first.ItemCount) throw new InvalidDataException($"snapshot@{first.AppliedIndex} ends at item {expected} of {first.ItemCount}");
        return new KeyValueStore(first.AppliedIndex, ImmutableSortedSet.CreateRange(KeyValueItem.ByKey, data), sessions.ToImmutable(), first.ExecutedCount, first.HistoryDigest, bytes);
    }

    /// <summary>
    /// A hash of the map and the dedup table that does not depend on order, for comparing
    /// replicas at the same <see cref="AppliedIndex"/>.
    /// </summary>
    public ulong ContentHash()
    {
        ulong hash = 0;
        foreach (var item in Data)
            hash += StableHash.Add(StableHash.Of(item.Key), StableHash.Of(item.Value));
        foreach (var (client, session) in Sessions)
            hash += StableHash.Add((ulong)client.Value, (ulong)session.Sequence);
        return hash;
    }

    /// <inheritdoc/>
    public override string ToString() => $"store@{AppliedIndex} keys={Data.Count} sessions={Sessions.Count}";

    private IEnumerable<SessionItem> OrderedSessions() =>
        Sessions.OrderBy(session => session.Key.Value).Select(session => new SessionItem(session.Key, session.Value));

    private static KeyValueReply Execute(ImmutableSortedSet<KeyValueItem>.Builder data, KeyValueCommand command, ref long bytes)
    {
        switch (command)
        {
            case KeyValueCommand.Get get:
                return new KeyValueReply.Value(Find(data, get.Key));
            case KeyValueCommand.Put put:
                Set(data, put.Key, put.Value, ref bytes);
                return KeyValueReply.Ok.Instance;
            case KeyValueCommand.Delete delete:
                Remove(data, delete.Key, ref bytes);
                return KeyValueReply.Ok.Instance;
            case KeyValueCommand.Append append:
                Set(data, append.Key, (Find(data, append.Key) ?? "") + append.Suffix, ref bytes);
                return KeyValueReply.Ok.Instance;
            case KeyValueCommand.Cas cas:
                var current = Find(data, cas.Key);
                if (current != cas.Expected) return new KeyValueReply.CasResult(false, current);
                Set(data, cas.Key, cas.New, ref bytes);
                return new KeyValueReply.CasResult(true, cas.New);
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command, "unknown command");
        }
    }

    private static string? Find(ImmutableSortedSet<KeyValueItem>.Builder data, string key) =>
        data.TryGetValue(KeyValueItem.Probe(key), out var item) ? item.Value : null;

    private static void Set(ImmutableSortedSet<KeyValueItem>.Builder data, string key, string value, ref long bytes)
    {
        Remove(data, key, ref bytes);
        var item = new KeyValueItem(key, value);
        data.Add(item);
        bytes += item.EstimatedBytes;
    }

    private static void Remove(ImmutableSortedSet<KeyValueItem>.Builder data, string key, ref long bytes)
    {
        if (!data.TryGetValue(KeyValueItem.Probe(key), out var old)) return;
        data.Remove(old);
        bytes -= old.EstimatedBytes;
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
