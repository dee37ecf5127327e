namespace OrleansNodes.Hosting.Storage;

/// <summary>Where the embedded profile keeps node state and reminders: one SQLite file.</summary>
public sealed class SqliteStorageOptions
{
    /// <summary>The database file. Its folder is created if missing.</summary>
    public string DatabasePath { get; set; } = Path.Combine("data", "orleansnodes.db");

    /// <summary>The connection string for <see cref="DatabasePath"/>.</summary>
    internal string ConnectionString => new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder
    {
        DataSource = DatabasePath,
        Mode = Microsoft.Data.Sqlite.SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        // SQLite's busy handler: wait for a competing writer (another connection in WAL mode)
        // rather than fail at once.
        DefaultTimeout = 30,
    }.ToString();
}
