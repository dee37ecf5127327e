using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace OrleansNodes.Hosting.Storage;

/// <summary>
/// Opens connections to the SQLite file and creates its schema once: the grain state of small
/// grains (the cluster registry), reminders, and node storage (<see cref="SqliteNodeStore"/>). WAL mode lets readers
/// run beside the single writer; <c>synchronous = FULL</c> makes a committed write durable
/// before it is acknowledged, which persist-before-send relies on: a message may only leave
/// once the state that sent it survives a crash.
/// </summary>
/// <remarks>
/// <para>Writes go through one writer loop that commits everything waiting in a single transaction
/// (group commit). The sync at commit is what a write costs; every node grain of the silo
/// writing its own transaction would cap the whole silo at one node-batch per sync. Each
/// write still succeeds or fails on its own (an ETag mismatch changes no row and fails only
/// that write). Nothing else writes: a second writing connection would contend for SQLite's
/// one write lock, and Microsoft.Data.Sqlite retries a refused statement only after a sleep.</para>
/// <para>Copying the write-ahead log into the database file (a checkpoint) is done off the
/// writer's path: after a commit the checkpointer, on another connection than the writer's, runs
/// a passive checkpoint, which takes no write lock, at most every <see cref="CheckpointInterval"/>. SQLite's
/// own checkpoint at commit stays as a backstop at <see cref="AutoCheckpointPages"/>, which also
/// lets the log start over from its beginning; with the default of 1,000 pages (4 MB) every
/// fourth megabyte's commit copied the log and synced the file while every node waited.</para>
/// </remarks>
internal sealed class SqliteDatabase : IAsyncDisposable
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS grain_state (
            state_name TEXT NOT NULL,
            grain_id   TEXT NOT NULL,
            etag       INTEGER NOT NULL,
            payload    BLOB NOT NULL,
            PRIMARY KEY (state_name, grain_id)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS reminders (
            grain_id   TEXT NOT NULL,
            name       TEXT NOT NULL,
            grain_hash INTEGER NOT NULL,
            start_at   INTEGER NOT NULL,
            period     INTEGER NOT NULL,
            etag       INTEGER NOT NULL,
            PRIMARY KEY (grain_id, name)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS reminders_by_hash ON reminders (grain_hash);
        CREATE TABLE IF NOT EXISTS node_meta (
            node            TEXT NOT NULL PRIMARY KEY,
            version         INTEGER NOT NULL,
            definition      BLOB NOT NULL,
            hard            BLOB NOT NULL,
            snapshot_id     INTEGER,
            snapshot_index  INTEGER,
            snapshot_chunks INTEGER
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS node_log (
            node    TEXT NOT NULL,
            idx     INTEGER NOT NULL,
            payload BLOB NOT NULL,
            PRIMARY KEY (node, idx)
        );
        CREATE TABLE IF NOT EXISTS node_snapshot (
            node        TEXT NOT NULL,
            snapshot_id INTEGER NOT NULL,
            seq         INTEGER NOT NULL,
            payload     BLOB NOT NULL,
            PRIMARY KEY (node, snapshot_id, seq)
        );
        """;

    /// <summary>The most writes one transaction carries, so a flood of writers cannot starve the first ones forever.</summary>
    private const int GroupCommitWritesMax = 512;

    /// <summary>The writer's own checkpoint at commit, a backstop (64 MB of 4 KB pages) should the checkpointer fall behind.</summary>
    private const int AutoCheckpointPages = 16_384;

    /// <summary>The least time between two of the checkpointer's passive checkpoints.</summary>
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromMilliseconds(50);

    private readonly string _connectionString;
    private readonly Lazy<Task> _schema;
    private readonly Channel<PendingWrite> _writes = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });

    // A commit asks for a checkpoint; requests that arrive while one is pending are the same request.
    private readonly Channel<bool> _checkpoints = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true, SingleWriter = true });

    private readonly Task _writer;
    private readonly Task _checkpointer;

    public SqliteDatabase(SqliteStorageOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DatabasePath);
        DatabasePath = Path.GetFullPath(options.DatabasePath);
        _connectionString = options.ConnectionString;
        _schema = new Lazy<Task>(() => Task.Run(CreateSchema));
        _writer = Task.Run(WriteLoopAsync);
        _checkpointer = Task.Run(CheckpointLoopAsync);
    }

    /// <summary>The database file.</summary>
    public string DatabasePath { get; }

    /// <summary>
    /// Runs <paramref name="work"/> on a pooled connection, off the caller's thread: Microsoft.Data.Sqlite
    /// is synchronous underneath, and a grain's scheduler thread must not block on disk.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<SqliteConnection, T> work)
    {
        await _schema.Value;
        return await Task.Run(() =>
        {
            using var connection = Open();
            return work(connection);
        });
    }

    /// <summary>
    /// Runs <paramref name="work"/> inside the next group-commit transaction and completes once
    /// that transaction is durable. <paramref name="work"/> must only run statements (commands
    /// created from the connection join the transaction).
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, T> work)
    {
        await _schema.Value;
        var write = new PendingWrite(connection => work(connection));
        if (!_writes.Writer.TryWrite(write)) throw new ObjectDisposedException(nameof(SqliteDatabase), $"The database {DatabasePath} is closed.");
        return (T)(await write.Completion.Task)!;
    }

    /// <summary>
    /// Commits the writes already queued, then stops the writer and the checkpointer, so that no
    /// connection of this database is open once it returns. Writes after this fail.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _writer;
        _checkpoints.Writer.TryComplete();
        await _checkpointer;
    }

    private async Task WriteLoopAsync()
    {
        var group = new List<PendingWrite>(GroupCommitWritesMax);
        var results = new List<(object? Result, Exception? Error)>(GroupCommitWritesMax);
        while (await _writes.Reader.WaitToReadAsync())
        {
            while (group.Count < GroupCommitWritesMax && _writes.Reader.TryRead(out var write)) group.Add(write);
            try
            {
                using var connection = Open();
                using var transaction = connection.BeginTransaction();
                foreach (var write in group)
                {
                    try
                    {
                        results.Add((write.Work(connection), null));
                    }
                    catch (SqliteException exception)
                    {
                        // SQLite rolls back only the failed statement; the others still commit.
                        results.Add((null, exception));
                    }
                }
                transaction.Commit();
                _checkpoints.Writer.TryWrite(true);
                for (var i = 0; i < group.Count; i++)
                {
                    if (results[i].Error is { } error) group[i].Completion.TrySetException(error);
                    else group[i].Completion.TrySetResult(results[i].Result);
                }
            }
            catch (Exception exception)
            {
                // The commit (or opening the file) failed: nothing of this group is durable.
                foreach (var write in group) write.Completion.TrySetException(exception);
            }
            group.Clear();
            results.Clear();
        }
    }

    private async Task CheckpointLoopAsync()
    {
        while (await _checkpoints.Reader.WaitToReadAsync())
        {
            _checkpoints.Reader.TryRead(out _);
            try
            {
                // A pooled connection, returned after each checkpoint: one held open would keep a
                // clean stop from folding the log into the file when the pool closes.
                using var connection = Open();
                using var checkpoint = connection.CreateCommand();
                checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                checkpoint.ExecuteNonQuery();
            }
            catch (Exception)
            {
                // Best effort: the next commit asks again, and the writer's own checkpoint is the
                // backstop. No write depends on a checkpoint for its durability.
            }

            await Task.Delay(CheckpointInterval);
        }
    }

    private void CreateSchema()
    {
        if (Path.GetDirectoryName(DatabasePath) is { Length: > 0 } folder) Directory.CreateDirectory(folder);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = Schema;
        command.ExecuteNonQuery();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = {AutoCheckpointPages};";
        pragma.ExecuteNonQuery();
        return connection;
    }

    private sealed class PendingWrite(Func<SqliteConnection, object?> work)
    {
        public Func<SqliteConnection, object?> Work { get; } = work;

        public TaskCompletionSource<object?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
