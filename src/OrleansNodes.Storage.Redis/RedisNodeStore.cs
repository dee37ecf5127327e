using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OrleansNodes.Hosting.Storage;
using StackExchange.Redis;

namespace OrleansNodes.Storage.Redis;

/// <summary>
/// Node storage on Redis (docs/design-decisions.md §9): per node a meta hash, the log as a sorted
/// set and the snapshot as a list, and a flush is one Lua script, one round trip, that checks the
/// node's version and applies <c>DurableImage.Apply</c>'s semantics atomically. A snapshot larger
/// than <see cref="InlineSnapshotBytesMax"/> is staged first, in bounded batches, and the script
/// then commits it by reference.
/// </summary>
/// <remarks>
/// <para>Key layout, for node key <c>N</c> (<c>cluster/index</c>, e.g. <c>kv/0</c>) under prefix
/// <c>P</c> (the silo's service id); the braces are a Redis Cluster hash tag, so all of a node's
/// keys are in one slot, which a script that touches them all needs:</para>
/// <list type="bullet">
/// <item><c>P/nodes/{N}/meta</c>: hash with <c>format</c> (<c>1</c>), <c>version</c> (writes so far),
/// <c>definition</c>, <c>hard</c> and, once a snapshot was written, <c>snapshot_index</c> and
/// <c>snapshot_chunks</c>. A node exists exactly when this key does.</item>
/// <item><c>P/nodes/{N}/log</c>: sorted set, every score 0; each member is the entry's index
/// (8 bytes big-endian, sign bit flipped) followed by its payload, so members sort by index and
/// index ranges are byte ranges (see <see cref="RedisLogMember"/>).</item>
/// <item><c>P/nodes/{N}/snapshot</c>: list of the snapshot's chunks, in order.</item>
/// <item><c>P/nodes/{N}/staged/&lt;id&gt;</c>: list of a large snapshot being staged under a
/// random id (two activations never share one), with an expiry of
/// <see cref="StagedSnapshotExpiry"/>, refreshed by every batch, so that a writer that dies
/// between staging and commit leaves nothing behind for long. The commit checks the list holds
/// exactly the snapshot's chunks, renames it onto <c>…/snapshot</c> (replacing the previous
/// snapshot in the same step) and removes the expiry.</item>
/// </list>
/// <para>Meta does not name the snapshot's key: with a fixed key that a commit renames onto, every
/// key a script touches follows from the node key and is passed in <c>KEYS</c>, as Redis requires
/// of scripts, and a read gets meta and snapshot in one <c>MULTI</c> without following a pointer.</para>
/// <para>Round trips: a flush without a large snapshot is one script. A large one is one script
/// per batch of at most <see cref="StageBatchBytesMax"/> (several in flight), then the commit
/// script. A read is one <c>MULTI</c>/<c>EXEC</c> of the meta hash and the first page of the
/// snapshot and log, then further pages if any; a read of several pages checks at the end that
/// the version did not move meanwhile and starts again if it did, so it never mixes two flushes.</para>
/// <para>Connection failures are not caught: a failed write is a crash to the node grain, which
/// restarts from what Redis holds. The store neither owns nor disposes the multiplexer.</para>
/// </remarks>
public sealed class RedisNodeStore : NodeStore
{
    /// <summary>Write point: a batch of a staged snapshot was sent and more are to come.</summary>
    public const string SnapshotBatchStagedPoint = "redis: snapshot batch staged";

    /// <summary>Write point: the whole snapshot is staged and the commit script is not yet sent.</summary>
    public const string SnapshotStagedPoint = "redis: snapshot staged, not committed";

    // Batches of a staged snapshot sent before the oldest is awaited: enough to keep the link
    // busy, few enough that the chunks held in memory stay bounded.
    private const int StageBatchesInFlightMax = 4;

    // A read that keeps meeting new versions is racing a live writer; it is the stale activation.
    private const int ReadAttemptsMax = 5;

    private readonly Func<Task<IConnectionMultiplexer>> _connect;
    private readonly string _prefix;
    private IDatabase? _database;

    /// <summary>
    /// A store under <paramref name="keyPrefix"/> (the silo's service id). <paramref name="connect"/>
    /// is called until it succeeds once and should return the process's shared multiplexer (the
    /// silo's <c>RedisConnection</c>); a multiplexer configured with <c>BacklogPolicy.FailFast</c>
    /// makes a write during an outage fail at once instead of waiting for a reconnect.
    /// </summary>
    public RedisNodeStore(Func<Task<IConnectionMultiplexer>> connect, string keyPrefix)
    {
        ArgumentNullException.ThrowIfNull(connect);
        ArgumentException.ThrowIfNullOrEmpty(keyPrefix);
        _connect = connect;
        _prefix = keyPrefix;
    }

    /// <summary>Snapshots up to this many bytes travel inside the commit script; larger ones are staged first.</summary>
    public int InlineSnapshotBytesMax { get; init; } = 1024 * 1024;

    /// <summary>Bytes of chunks per staging request (a single larger chunk goes alone).</summary>
    public int StageBatchBytesMax { get; init; } = 1024 * 1024;

    /// <summary>How long a staged snapshot outlives its last batch if it is never committed.</summary>
    public TimeSpan StagedSnapshotExpiry { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Snapshot chunks per read request; a page bounds the reply Redis builds at once.</summary>
    internal int ReadPageChunks { get; init; } = 64;

    /// <summary>Log entries per read request.</summary>
    internal int ReadPageEntries { get; init; } = 4096;

    /// <summary>For tests: called after each page a read fetches beyond the first, where another writer may come between.</summary>
    internal Action? OnReadPage { get; set; }

    /// <inheritdoc/>
    public override string Description => $"redis {_prefix}/nodes/";

    /// <inheritdoc/>
    public override IReadOnlyList<string> WritePoints => [SnapshotBatchStagedPoint, SnapshotStagedPoint];

    /// <summary>
    /// Describes the node state that the previous storage format left in <paramref name="database"/>
    /// for service <paramref name="serviceId"/>: Orleans' Redis grain storage kept one hash per node
    /// grain at <c>&lt;ServiceId&gt;/state/node/&lt;cluster&gt;/&lt;index&gt;/node</c> (its default key,
    /// <c>{ServiceId}/state/{GrainId}/{StateName}</c>, for grain type <c>node</c> and state <c>node</c>).
    /// Returns null when there is none, else a phrase such as
    /// <c>3 node records of the previous storage format (Orleans grain state, e.g. 'svc/state/node/kv/0/node')</c>,
    /// so that a silo can refuse to start on old state instead of reading it as empty.
    /// </summary>
    /// <remarks>Scans every primary server of the multiplexer (all shards of a cluster); the cluster
    /// registry's records (<c>…/state/clusterregistry/…</c>) are not node state and are not counted.</remarks>
    public static async Task<string?> DescribeLegacyStateAsync(IDatabase database, string serviceId)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentException.ThrowIfNullOrEmpty(serviceId);
        var pattern = EscapeGlob(serviceId) + "/state/node/*/node";
        var count = 0L;
        RedisKey example = default;
        foreach (var server in database.Multiplexer.GetServers())
        {
            if (server.IsReplica) continue;
            await foreach (var key in server.KeysAsync(database.Database, pattern, pageSize: 1000))
            {
                if (count++ == 0) example = key;
            }
        }
        if (count == 0) return null;
        var records = count == 1 ? "1 node record" : $"{count} node records";
        return $"{records} of the previous storage format (Orleans grain state, e.g. '{example}')";
    }

    /// <inheritdoc/>
    protected override async Task<StoredNode?> ReadCoreAsync(string key, CancellationToken cancellationToken)
    {
        var database = await DatabaseAsync();
        var keys = RedisNodeKeys.For(_prefix, key);
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (node, consistent) = await ReadOnceAsync(database, keys);
            if (consistent) return node;
            if (attempt == ReadAttemptsMax)
                throw new IOException($"{keys.Meta}: the node changed during each of {ReadAttemptsMax} reads; another activation is writing it");
        }
    }

    /// <inheritdoc/>
    protected override async Task<long> WriteCoreAsync(string key, NodeWrite write, CancellationToken cancellationToken)
    {
        var database = await DatabaseAsync();
        var keys = RedisNodeKeys.For(_prefix, key);
        var (inline, staged, snapshotBytes) = write.Snapshot is { } snapshot
            ? await StageIfLargeAsync(database, key, keys, write.ExpectedVersion, snapshot, cancellationToken)
            : ([], null, 0);
        cancellationToken.ThrowIfCancellationRequested();
        RedisKey[] commitKeys = staged is null ? [keys.Meta, keys.Log, keys.Snapshot] : [keys.Meta, keys.Log, keys.Snapshot, staged.Key];
        var reply = await database.ScriptEvaluateAsync(RedisScripts.Commit, commitKeys, CommitArguments(write, inline, staged));
        var (code, detail) = Parse(reply);
        return code switch
        {
            RedisScripts.Done => write.BytesWithoutSnapshot + snapshotBytes,
            RedisScripts.Stale => throw Stale(key, write.ExpectedVersion, detail),
            RedisScripts.Incomplete => throw new IOException(
                $"{staged!.Key}: the staged snapshot holds {detail} of its {staged.Chunks} chunks (expired or deleted before the commit); nothing was written"),
            RedisScripts.WrongType => throw new InvalidDataException($"{detail}: holds a Redis type this store never writes there; nothing was written"),
            _ => throw new InvalidDataException($"{keys.Meta}: the commit script answered {code}"),
        };
    }

    private async ValueTask<IDatabase> DatabaseAsync()
    {
        if (_database is { } database) return database;
        database = (await _connect()).GetDatabase();
        _database = database;
        return database;
    }

    private async Task<(StoredNode? Node, bool Consistent)> ReadOnceAsync(IDatabase database, RedisNodeKeys keys)
    {
        // Meta, the lengths and the first page of each list in one MULTI/EXEC: a node with a short
        // log and a small snapshot is read in one round trip, consistent by construction.
        var transaction = database.CreateTransaction();
        var metaRead = transaction.HashGetAllAsync(keys.Meta);
        var chunksHeld = transaction.ListLengthAsync(keys.Snapshot);
        var chunksRead = transaction.ListRangeAsync(keys.Snapshot, 0, ReadPageChunks - 1);
        var entriesHeld = transaction.SortedSetLengthAsync(keys.Log);
        var entriesRead = transaction.SortedSetRangeByRankAsync(keys.Log, 0, ReadPageEntries - 1);
        await transaction.ExecuteAsync();
        var fields = await OfKey(metaRead, keys.Meta);
        if (fields.Length == 0) return (null, true);
        var meta = RedisNodeMeta.Parse(fields, keys.Meta);
        var snapshotLength = await OfKey(chunksHeld, keys.Snapshot);
        if (snapshotLength != meta.SnapshotChunks)
        {
            var held = snapshotLength == 0 ? "is missing" : $"holds {snapshotLength} chunks";
            throw new InvalidDataException($"{keys.Snapshot}: the snapshot list {held}, but {keys.Meta} says {meta.SnapshotChunks}");
        }
        var logLength = await OfKey(entriesHeld, keys.Log);

        var chunks = (await OfKey(chunksRead, keys.Snapshot)).Select(Bytes).ToList();
        var members = (await OfKey(entriesRead, keys.Log)).ToList();
        var paged = false;
        while (chunks.Count < snapshotLength)
        {
            var page = await OfKey(database.ListRangeAsync(keys.Snapshot, chunks.Count, chunks.Count + ReadPageChunks - 1), keys.Snapshot);
            if (page.Length == 0) break;
            chunks.AddRange(page.Select(Bytes));
            paged = true;
            OnReadPage?.Invoke();
        }
        while (members.Count < logLength)
        {
            var page = await OfKey(database.SortedSetRangeByRankAsync(keys.Log, members.Count, members.Count + ReadPageEntries - 1), keys.Log);
            if (page.Length == 0) break;
            members.AddRange(page);
            paged = true;
            OnReadPage?.Invoke();
        }
        // Every flush moves the version, and a staging batch touches only its own key: an
        // unchanged version means no flush came between the pages.
        if (paged && !meta.IsVersion(await database.HashGetAsync(keys.Meta, RedisNodeMeta.VersionField))) return (null, false);
        if (chunks.Count != snapshotLength || members.Count != logLength)
            throw new InvalidDataException($"{keys.Meta}: the node's lists changed while it was read, without a flush");

        var snapshot = meta.SnapshotIndex is { } index ? new StoredSnapshot(index, chunks) : null;
        var log = members.Select(member => RedisLogMember.Decode(Bytes(member), keys.Log)).ToList();
        return (new StoredNode(meta.Version, meta.Definition, meta.Hard, snapshot, log), true);
    }

    // Enumerates the chunks once: a snapshot that fits inline is returned whole; at the first
    // chunk past the limit, what was read and the rest of the same enumeration are staged.
    private async Task<(List<byte[]> Inline, Staged? Staged, long Bytes)> StageIfLargeAsync(IDatabase database, string node,
        RedisNodeKeys keys, long expectedVersion, SnapshotWrite snapshot, CancellationToken cancellationToken)
    {
        using var chunks = snapshot.Chunks.GetEnumerator();
        var read = new List<byte[]>();
        var readBytes = 0L;
        while (readBytes <= InlineSnapshotBytesMax && chunks.MoveNext())
        {
            read.Add(chunks.Current);
            readBytes += chunks.Current.Length;
        }
        if (readBytes <= InlineSnapshotBytesMax) return (read, null, readBytes);
        var staged = await StageAsync(database, node, keys, expectedVersion, read, chunks, cancellationToken);
        Reached(SnapshotStagedPoint);
        return ([], staged, staged.Bytes);
    }

    private async Task<Staged> StageAsync(IDatabase database, string node, RedisNodeKeys keys, long expectedVersion,
        List<byte[]> buffered, IEnumerator<byte[]> rest, CancellationToken cancellationToken)
    {
        var staged = keys.Staged(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        var expiryMs = ((long)StagedSnapshotExpiry.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        var inFlight = new Queue<Task<RedisResult>>();
        long chunks = 0, bytes = 0;
        try
        {
            foreach (var batch in Batches(buffered, rest))
            {
                if (chunks > 0) Reached(SnapshotBatchStagedPoint);
                cancellationToken.ThrowIfCancellationRequested();
                if (inFlight.Count == StageBatchesInFlightMax) CheckStaged(await inFlight.Dequeue(), node, staged, expectedVersion);
                RedisValue[] arguments = [expectedVersion, expiryMs, chunks, .. batch.Select(chunk => (RedisValue)chunk)];
                inFlight.Enqueue(database.ScriptEvaluateAsync(RedisScripts.Stage, [keys.Meta, staged], arguments));
                chunks += batch.Count;
                bytes += batch.Sum(chunk => (long)chunk.Length);
            }
            while (inFlight.Count > 0) CheckStaged(await inFlight.Dequeue(), node, staged, expectedVersion);
        }
        finally
        {
            // Batches still in flight when the write stops finish or fail unobserved; their
            // list expires either way.
            foreach (var pending in inFlight)
                _ = pending.ContinueWith(static task => _ = task.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
        }
        return new Staged(staged, chunks, bytes);
    }

    // The chunks in batches of at most StageBatchBytesMax (a larger chunk alone), pulling from
    // the enumeration only as batches are sent.
    private IEnumerable<List<byte[]>> Batches(List<byte[]> buffered, IEnumerator<byte[]> rest)
    {
        var batch = new List<byte[]>();
        var batchBytes = 0L;
        foreach (var chunk in Remaining(buffered, rest))
        {
            if (batch.Count > 0 && batchBytes + chunk.Length > StageBatchBytesMax)
            {
                yield return batch;
                batch = [];
                batchBytes = 0;
            }
            batch.Add(chunk);
            batchBytes += chunk.Length;
        }
        if (batch.Count > 0) yield return batch;
    }

    private static IEnumerable<byte[]> Remaining(List<byte[]> buffered, IEnumerator<byte[]> rest)
    {
        foreach (var chunk in buffered) yield return chunk;
        while (rest.MoveNext()) yield return rest.Current;
    }

    private static void CheckStaged(RedisResult reply, string node, RedisKey staged, long expectedVersion)
    {
        var (code, detail) = Parse(reply);
        if (code == RedisScripts.Stale) throw Stale(node, expectedVersion, detail);
        if (code != RedisScripts.Done)
            throw new IOException($"{staged}: a staging batch found {detail} chunks where it expected the ones staged before it; nothing was written");
    }

    private static RedisValue[] CommitArguments(NodeWrite write, List<byte[]> inline, Staged? staged)
    {
        var parts = (write.Definition is null ? "" : "D") + (write.Hard is null ? "" : "H");
        var arguments = new List<RedisValue>(10 + 2 * write.Puts.Count + inline.Count)
        {
            write.ExpectedVersion,
            write.ExpectedVersion + 1,
            parts,
            write.Definition ?? [],
            write.Hard ?? [],
            write.Snapshot is { } snapshot ? snapshot.Index : RedisValue.EmptyString,
            write.Snapshot is null ? RedisValue.EmptyString : staged?.Chunks ?? inline.Count,
            write.TruncateFrom is { } truncate ? RedisLogMember.From(truncate) : RedisValue.EmptyString,
            write.CompactThrough is { } compact ? RedisLogMember.After(compact) : RedisValue.EmptyString,
            write.Puts.Count,
        };
        foreach (var put in write.Puts)
        {
            arguments.Add(RedisLogMember.Encode(put));
            arguments.Add(RedisLogMember.After(put.Index));
        }
        foreach (var chunk in inline) arguments.Add(chunk);
        return [.. arguments];
    }

    private static (long Code, string Detail) Parse(RedisResult reply)
    {
        var parts = (RedisResult[])reply!;
        return ((long)parts[0], (string?)parts[1] ?? "");
    }

    private static StaleWriteException Stale(string node, long expectedVersion, string stored) =>
        new(expectedVersion == 0
            ? $"node {node} already exists (version {stored}); this write would have created it"
            : $"node {node} is at version {stored}, not {expectedVersion}: another activation wrote first");

    private static byte[] Bytes(RedisValue value) => (byte[]?)value ?? [];

    // A key of the wrong type is damage, reported as such rather than as a server error.
    private static async Task<T> OfKey<T>(Task<T> read, RedisKey key)
    {
        try
        {
            return await read;
        }
        catch (RedisServerException exception) when (exception.Message.StartsWith("WRONGTYPE", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{key}: holds a Redis type this store never writes there", exception);
        }
    }

    // SCAN's MATCH is a glob: a service id is matched literally.
    private static string EscapeGlob(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var character in text)
        {
            if (character is '*' or '?' or '[' or ']' or '\\') escaped.Append('\\');
            escaped.Append(character);
        }
        return escaped.ToString();
    }

    private sealed record Staged(RedisKey Key, long Chunks, long Bytes);
}
