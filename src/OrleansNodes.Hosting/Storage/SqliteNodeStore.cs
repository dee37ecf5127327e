using Microsoft.Data.Sqlite;

namespace OrleansNodes.Hosting.Storage;

/// <summary>
/// Node storage in the embedded profile's SQLite file: table <c>node_meta</c> (one row per node:
/// version, definition, hard state, current snapshot), <c>node_log</c> (one row per entry) and
/// <c>node_snapshot</c> (snapshot chunks, one row each). A flush is one statement group inside
/// the silo's group-commit transaction, under a savepoint so a refused flush rolls back alone; it
/// applies only when <c>node_meta.version</c> is the one the writer expects.
/// </summary>
/// <remarks>
/// A snapshot larger than <see cref="InlineSnapshotBytesMax"/> is staged first, under a fresh
/// random id that nothing refers to yet, in writes of at most <see cref="StagingBytesMax"/> that
/// queue in the group-commit writer like any flush: the other nodes' flushes go between them, so
/// a large snapshot holds up a group commit by at most that much (a transaction of its own would
/// contend for SQLite's one write lock, and a writer refused it retries only after a sleep). The
/// flush then refers to it, after checking that every staged chunk is there (a stale writer's
/// partial staging cannot be committed). Chunks of snapshots no
/// longer referred to (a crash between staging and commit) are removed when the node is next read.
/// </remarks>
public sealed class SqliteNodeStore : NodeStore
{
    /// <summary>Snapshots up to this size are written inside the flush itself.</summary>
    public const int InlineSnapshotBytesMax = 1 << 20;

    /// <summary>The most staged snapshot bytes one staging write carries into a group commit.</summary>
    private const int StagingBytesMax = 1 << 20;

    /// <summary>Between staging a snapshot's chunks and the flush that commits it.</summary>
    public const string AfterStagingPoint = "after staging the snapshot";

    private readonly SqliteDatabase _database;

    internal SqliteNodeStore(SqliteDatabase database) => _database = database;

    /// <inheritdoc/>
    public override string Description => "sqlite " + _database.DatabasePath;

    /// <inheritdoc/>
    public override IReadOnlyList<string> WritePoints => [AfterStagingPoint];

    /// <summary>
    /// What is wrong with an existing data file, or null when it is sound or does not exist yet (a
    /// first start). SQLite treats an empty file as a new database and opens a damaged one until a
    /// query touches a bad page; either would let a silo start on a store that lost its data, so a
    /// file that exists must open as a database and pass <c>PRAGMA quick_check</c> (every page and
    /// index readable and consistent, in time linear in the file's size).
    /// </summary>
    public static string? DescribeDamage(string databasePath)
    {
        if (!File.Exists(databasePath)) return null;
        if (new FileInfo(databasePath).Length == 0) return "it is empty (0 bytes), so every cluster and node it held is gone";
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA quick_check(3)";
            var problems = new List<string>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read()) problems.Add(reader.GetString(0));
            }
            return problems is ["ok"] ? null : "SQLite's quick_check found: " + string.Join("; ", problems.Select(p => p.ReplaceLineEndings(" ")));
        }
        catch (SqliteException exception)
        {
            return $"SQLite could not read it ({exception.Message.ReplaceLineEndings(" ")})";
        }
    }

    /// <summary>
    /// What the file at <paramref name="databasePath"/> holds in the format this version cannot
    /// read, as a phrase for an error line, or null when it holds none (or does not exist). Wave 1
    /// kept each node as one Orleans grain-state record (<c>grain_state</c> rows named
    /// <c>node</c>); read by this version, those nodes would look never started.
    /// </summary>
    public static string? DescribeLegacyState(string databasePath)
    {
        if (!File.Exists(databasePath)) return null;
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        if (Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'grain_state'") is not long tables || tables == 0) return null;
        return Scalar(connection, "SELECT count(*) FROM grain_state WHERE state_name = 'node'") is long nodes && nodes > 0
            ? $"{nodes} node record(s) in the whole-state format of OrleansNodes 0.1 (table grain_state)"
            : null;
    }

    /// <inheritdoc/>
    protected override async Task<StoredNode?> ReadCoreAsync(string key, CancellationToken cancellationToken)
    {
        var node = await _database.RunAsync(connection => Read(connection, key));
        if (node is { Snapshot: var snapshot, Orphans: true }) await _database.WriteAsync(connection => DeleteOrphanChunks(connection, key, snapshot));
        return node?.Stored;
    }

    /// <inheritdoc/>
    protected override async Task<long> WriteCoreAsync(string key, NodeWrite write, CancellationToken cancellationToken)
    {
        var bytes = write.BytesWithoutSnapshot;
        StagedSnapshot? snapshot = null;
        if (write.Snapshot is { } written)
        {
            snapshot = await StageAsync(key, written);
            bytes += snapshot.Bytes;
            if (snapshot.Inline is null) Reached(AfterStagingPoint);
        }
        var outcome = await _database.WriteAsync(connection => Flush(connection, key, write, snapshot));
        if (outcome is not null) throw new StaleWriteException($"{Description}: node {key} {outcome}");
        return bytes;
    }

    /// <summary>
    /// Serializes the snapshot's chunks as they are enumerated. Small snapshots stay in memory and
    /// go inside the flush; a large one is written to <c>node_snapshot</c> under a new id, in
    /// group-commit writes of at most <see cref="StagingBytesMax"/>.
    /// </summary>
    private async Task<StagedSnapshot> StageAsync(string key, SnapshotWrite snapshot)
    {
        var pending = new List<byte[]>();
        long pendingBytes = 0;
        long total = 0;
        var count = 0;
        long? id = null;
        foreach (var chunk in snapshot.Chunks)
        {
            pending.Add(chunk);
            pendingBytes += chunk.Length;
            total += chunk.Length;
            count++;
            if (pendingBytes < (id is null ? InlineSnapshotBytesMax : StagingBytesMax)) continue;
            id ??= Random.Shared.NextInt64(1, long.MaxValue);
            await InsertChunksAsync(key, id.Value, count - pending.Count, pending);
            pending.Clear();
            pendingBytes = 0;
        }
        if (id is null) return new StagedSnapshot(snapshot.Index, Random.Shared.NextInt64(1, long.MaxValue), count, total, pending);
        if (pending.Count > 0) await InsertChunksAsync(key, id.Value, count - pending.Count, pending);
        return new StagedSnapshot(snapshot.Index, id.Value, count, total, Inline: null);
    }

    private Task InsertChunksAsync(string key, long id, int firstSequence, List<byte[]> chunks)
    {
        var copy = chunks.ToArray();
        return _database.WriteAsync(connection =>
        {
            InsertChunks(connection, key, id, firstSequence, copy);
            return true;
        });
    }

    /// <summary>The flush: null when it applied, else why it was refused (nothing changed).</summary>
    private static string? Flush(SqliteConnection connection, string key, NodeWrite write, StagedSnapshot? snapshot)
    {
        Execute(connection, "SAVEPOINT node_flush");
        try
        {
            var refusal = UpdateMeta(connection, key, write, snapshot);
            if (refusal is null && snapshot is not null) refusal = CommitSnapshot(connection, key, snapshot);
            if (refusal is not null)
            {
                Execute(connection, "ROLLBACK TO node_flush");
                Execute(connection, "RELEASE node_flush");
                return refusal;
            }
            if (snapshot is null)
            {
                if (write.TruncateFrom is { } truncate) Execute(connection, "DELETE FROM node_log WHERE node = $node AND idx >= $index", ("$node", key), ("$index", truncate));
                if (write.CompactThrough is { } compact) Execute(connection, "DELETE FROM node_log WHERE node = $node AND idx <= $index", ("$node", key), ("$index", compact));
            }
            if (write.Puts.Count > 0) InsertPuts(connection, key, write.Puts);
            Execute(connection, "RELEASE node_flush");
            return null;
        }
        catch
        {
            Execute(connection, "ROLLBACK TO node_flush");
            Execute(connection, "RELEASE node_flush");
            throw;
        }
    }

    private static string? UpdateMeta(SqliteConnection connection, string key, NodeWrite write, StagedSnapshot? snapshot)
    {
        using var command = connection.CreateCommand();
        command.Parameters.AddWithValue("$node", key);
        command.Parameters.AddWithValue("$hard", (object?)write.Hard ?? DBNull.Value);
        command.Parameters.AddWithValue("$snapshot_id", snapshot is null ? DBNull.Value : snapshot.Id);
        command.Parameters.AddWithValue("$snapshot_index", snapshot is null ? DBNull.Value : snapshot.Index);
        command.Parameters.AddWithValue("$snapshot_chunks", snapshot is null ? DBNull.Value : snapshot.Count);
        if (write.ExpectedVersion == 0)
        {
            command.CommandText = """
                INSERT INTO node_meta (node, version, definition, hard, snapshot_id, snapshot_index, snapshot_chunks)
                VALUES ($node, 1, $definition, coalesce($hard, x''), $snapshot_id, $snapshot_index, $snapshot_chunks)
                ON CONFLICT DO NOTHING
                """;
            command.Parameters.AddWithValue("$definition", write.Definition!);
            return command.ExecuteNonQuery() == 1 ? null : "already exists (another activation created it first)";
        }
        command.CommandText = """
            UPDATE node_meta SET version = version + 1, hard = coalesce($hard, hard),
                snapshot_id = coalesce($snapshot_id, snapshot_id),
                snapshot_index = coalesce($snapshot_index, snapshot_index),
                snapshot_chunks = coalesce($snapshot_chunks, snapshot_chunks)
            WHERE node = $node AND version = $expected
            """;
        command.Parameters.AddWithValue("$expected", write.ExpectedVersion);
        if (command.ExecuteNonQuery() == 1) return null;
        var stored = Scalar(connection, "SELECT version FROM node_meta WHERE node = $node", ("$node", key));
        return $"is at version {stored ?? "none"}, not {write.ExpectedVersion}: another activation wrote first";
    }

    /// <summary>Makes the snapshot current: its chunks are there (inline ones are written now), the log and older snapshots go.</summary>
    private static string? CommitSnapshot(SqliteConnection connection, string key, StagedSnapshot snapshot)
    {
        if (snapshot.Inline is { } inline) InsertChunks(connection, key, snapshot.Id, 0, inline);
        else if (Scalar(connection, "SELECT count(*) FROM node_snapshot WHERE node = $node AND snapshot_id = $id", ("$node", key), ("$id", snapshot.Id)) is not long staged || staged != snapshot.Count)
            return $"lost part of its staged snapshot (another activation read the node meanwhile)";
        Execute(connection, "DELETE FROM node_log WHERE node = $node", ("$node", key));
        Execute(connection, "DELETE FROM node_snapshot WHERE node = $node AND snapshot_id <> $id", ("$node", key), ("$id", snapshot.Id));
        return null;
    }

    private static void InsertChunks(SqliteConnection connection, string key, long id, int firstSequence, IReadOnlyList<byte[]> chunks)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR REPLACE INTO node_snapshot (node, snapshot_id, seq, payload) VALUES ($node, $id, $seq, $payload)";
        var node = command.Parameters.AddWithValue("$node", key);
        var snapshotId = command.Parameters.AddWithValue("$id", id);
        var sequence = command.Parameters.Add("$seq", SqliteType.Integer);
        var payload = command.Parameters.Add("$payload", SqliteType.Blob);
        for (var i = 0; i < chunks.Count; i++)
        {
            sequence.Value = firstSequence + i;
            payload.Value = chunks[i];
            command.ExecuteNonQuery();
        }
    }

    private static void InsertPuts(SqliteConnection connection, string key, IReadOnlyList<StoredEntry> puts)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR REPLACE INTO node_log (node, idx, payload) VALUES ($node, $idx, $payload)";
        command.Parameters.AddWithValue("$node", key);
        var index = command.Parameters.Add("$idx", SqliteType.Integer);
        var payload = command.Parameters.Add("$payload", SqliteType.Blob);
        foreach (var put in puts)
        {
            index.Value = put.Index;
            payload.Value = put.Payload;
            command.ExecuteNonQuery();
        }
    }

    private static ReadNode? Read(SqliteConnection connection, string key)
    {
        using var transaction = connection.BeginTransaction(deferred: true);
        long version;
        byte[] definition, hard;
        long? snapshotId, snapshotIndex, snapshotChunks;
        using (var meta = connection.CreateCommand())
        {
            meta.CommandText = "SELECT version, definition, hard, snapshot_id, snapshot_index, snapshot_chunks FROM node_meta WHERE node = $node";
            meta.Parameters.AddWithValue("$node", key);
            using var reader = meta.ExecuteReader();
            if (!reader.Read()) return null;
            version = reader.GetInt64(0);
            definition = (byte[])reader.GetValue(1);
            hard = (byte[])reader.GetValue(2);
            snapshotId = reader.IsDBNull(3) ? null : reader.GetInt64(3);
            snapshotIndex = reader.IsDBNull(4) ? null : reader.GetInt64(4);
            snapshotChunks = reader.IsDBNull(5) ? null : reader.GetInt64(5);
        }

        StoredSnapshot? snapshot = null;
        var orphans = false;
        if (snapshotId is { } id)
        {
            var chunks = new List<byte[]>();
            using var select = connection.CreateCommand();
            select.CommandText = "SELECT snapshot_id, seq, payload FROM node_snapshot WHERE node = $node ORDER BY snapshot_id, seq";
            select.Parameters.AddWithValue("$node", key);
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                if (reader.GetInt64(0) != id)
                {
                    orphans = true;
                    continue;
                }
                if (reader.GetInt64(1) != chunks.Count)
                    throw new InvalidDataException($"node {key}: snapshot chunk {chunks.Count} is missing from node_snapshot");
                chunks.Add((byte[])reader.GetValue(2));
            }
            if (chunks.Count != snapshotChunks)
                throw new InvalidDataException($"node {key}: node_snapshot holds {chunks.Count} of the snapshot's {snapshotChunks} chunks");
            snapshot = new StoredSnapshot(snapshotIndex!.Value, chunks);
        }
        else
        {
            orphans = Scalar(connection, "SELECT count(*) FROM node_snapshot WHERE node = $node", ("$node", key)) is long count && count > 0;
        }

        var log = new List<StoredEntry>();
        using (var select = connection.CreateCommand())
        {
            select.CommandText = "SELECT idx, payload FROM node_log WHERE node = $node ORDER BY idx";
            select.Parameters.AddWithValue("$node", key);
            using var reader = select.ExecuteReader();
            while (reader.Read()) log.Add(new StoredEntry(reader.GetInt64(0), (byte[])reader.GetValue(1)));
        }
        return new ReadNode(new StoredNode(version, definition, hard, snapshot, log), snapshotId, orphans);
    }

    private static bool DeleteOrphanChunks(SqliteConnection connection, string key, long? current)
    {
        Execute(connection, "DELETE FROM node_snapshot WHERE node = $node AND snapshot_id IS NOT $id", ("$node", key), ("$id", (object?)current ?? DBNull.Value));
        return true;
    }

    private static void Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command.ExecuteScalar();
    }

    /// <summary>A snapshot ready to commit: its chunks staged under <see cref="Id"/>, or (small) held in <see cref="Inline"/>.</summary>
    private sealed record StagedSnapshot(long Index, long Id, int Count, long Bytes, IReadOnlyList<byte[]>? Inline);

    private sealed record ReadNode(StoredNode Stored, long? Snapshot, bool Orphans);
}
