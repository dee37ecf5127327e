using Microsoft.Data.Sqlite;
using OrleansNodes.Hosting.Storage;
using OrleansNodes.Storage.Tests.Conformance;
using OrleansNodes.TestServers;

namespace OrleansNodes.Storage.Tests.Sqlite;

/// <summary>The embedded profile's node store on a real SQLite file, against the conformance suite, and what is SQLite's own.</summary>
public sealed class SqliteNodeStoreTests : NodeStoreConformance, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orleansnodes-sqlite-").FullName;
    private readonly Lazy<SqliteNodeStore> _store;

    public SqliteNodeStoreTests() => _store = new(() => new SqliteNodeStore(new SqliteDatabase(new SqliteStorageOptions { DatabasePath = DatabasePath })));

    private string DatabasePath => Path.Combine(_folder, "nodes.db");

    protected override Task<NodeStore> StoreAsync() => Task.FromResult<NodeStore>(_store.Value);

    // A second silo opening the same file: its own connections and group-commit writer.
    protected override Task<NodeStore> OtherStoreAsync() =>
        Task.FromResult<NodeStore>(new SqliteNodeStore(new SqliteDatabase(new SqliteStorageOptions { DatabasePath = DatabasePath })));

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Conformance(string name) => RunAsync(name);

    [Fact]
    public async Task Read_AfterACrashBetweenStagingAndCommit_DropsTheStagedChunks()
    {
        var store = _store.Value;
        var key = NewKey();
        await store.WriteAsync(key, Create());
        var large = Enumerable.Range(0, 40).Select(i => new string('z', 64 * 1024)).ToList();
        store.OnWritePoint = point => throw new SimulatedCrash(point);
        await Assert.ThrowsAsync<SimulatedCrash>(() => store.WriteAsync(key, Write(1, snapshot: (3, large))));
        store.OnWritePoint = null;
        Assert.Equal(40, await CountAsync("SELECT count(*) FROM node_snapshot"));

        var read = await store.ReadAsync(key);

        Assert.Null(read!.Snapshot);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM node_snapshot"));
    }

    [Fact]
    public async Task Read_SnapshotChunkDeletedBehindTheStoresBack_InvalidData()
    {
        var store = _store.Value;
        var key = NewKey();
        await store.WriteAsync(key, Create());
        await store.WriteAsync(key, Write(1, snapshot: (3, ["a", "b", "c"])));
        await CountAsync("DELETE FROM node_snapshot WHERE seq = 1");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => store.ReadAsync(key));

        Assert.Contains(key, error.Message);
    }

    [Fact]
    public async Task Write_OneEntryToALongLog_WritesOnlyThatEntryAndTheHardState()
    {
        var store = _store.Value;
        var key = NewKey();
        await store.WriteAsync(key, Create());
        for (var i = 1; i <= 500; i++) await store.WriteAsync(key, Write(i, $"h{i}", puts: [(i, new string('v', 100))]));

        var bytes = await store.WriteAsync(key, Write(501, "h501", puts: [(501, new string('v', 100))]));

        Assert.Equal(100 + "h501".Length, bytes);
        Assert.Equal(501, await CountAsync("SELECT count(*) FROM node_log"));
    }

    [Fact]
    public async Task Write_AMegabyteOfLog_IsCopiedIntoTheDatabaseFileWithoutAnotherWrite()
    {
        // SQLite's own checkpoint at commit would wait for 4 MB of log (and then stall the
        // writer); the checkpointer copies it in the background after the commit.
        var store = _store.Value;
        var key = NewKey();
        await store.WriteAsync(key, Create());
        await store.WriteAsync(key, Write(1, puts: Enumerable.Range(1, 10).Select(i => ((long)i, new string('v', 100 * 1024)))));
        var before = new FileInfo(DatabasePath).Length;

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (new FileInfo(DatabasePath).Length < 1_000_000 && DateTime.UtcNow < deadline) await Task.Delay(20);

        Assert.True(new FileInfo(DatabasePath).Length >= 1_000_000, $"the database file stayed at {new FileInfo(DatabasePath).Length} bytes (it was {before} after the commit)");
        Assert.Equal(10, await CountAsync("SELECT count(*) FROM node_log"));
    }

    [Fact]
    public async Task Dispose_WithWritesQueued_CommitsThemThenRefusesWritesAndLeavesNoConnectionOpen()
    {
        var database = new SqliteDatabase(new SqliteStorageOptions { DatabasePath = DatabasePath });
        var store = new SqliteNodeStore(database);
        var keys = Enumerable.Range(0, 20).Select(_ => NewKey()).ToList();
        await store.WriteAsync(keys[0], Create());
        // With the schema in place, each write is queued before WriteAsync first yields.
        var queued = keys.Skip(1).Select(key => store.WriteAsync(key, Create())).ToList();

        await database.DisposeAsync();

        await Task.WhenAll(queued);
        var refused = await Assert.ThrowsAsync<NodeStoreException>(() => store.WriteAsync(NewKey(), Create()));
        Assert.Contains("is closed", refused.Message);
        SqliteConnection.ClearAllPools();
        // No connection of the closed database is left: the last one to close removes the -wal and -shm files.
        Assert.False(File.Exists(DatabasePath + "-wal"), "the write-ahead log is still there");
        var reopened = new SqliteNodeStore(new SqliteDatabase(new SqliteStorageOptions { DatabasePath = DatabasePath }));
        foreach (var key in keys) Assert.Equal(1, (await reopened.ReadAsync(key))!.Version);
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync() is long value ? value : 0;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        TempFolder.TryDelete(_folder);
    }
}
