using Microsoft.Data.Sqlite;

namespace OrleansNodes.Hosting.Storage;

/// <summary>
/// Opens connections to the SQLite file and creates its schema once. WAL mode lets readers
/// run beside the single writer; <c>synchronous = FULL</c> makes a committed write durable
/// before it is acknowledged, which persist-before-send relies on: a message may only leave
/// once the state that sent it survives a crash.
/// </summary>
internal sealed class SqliteDatabase
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
        """;

    private readonly string _connectionString;
    private readonly Lazy<Task> _schema;

    public SqliteDatabase(SqliteStorageOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DatabasePath);
        DatabasePath = Path.GetFullPath(options.DatabasePath);
        _connectionString = options.ConnectionString;
        _schema = new Lazy<Task>(() => Task.Run(CreateSchema));
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
        pragma.CommandText = "PRAGMA synchronous = FULL;";
        pragma.ExecuteNonQuery();
        return connection;
    }
}
