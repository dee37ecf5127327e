using Microsoft.Data.Sqlite;
using OrleansNodes.Hosting.Storage;
using OrleansNodes.Hosting.Tests.Support;

namespace OrleansNodes.Hosting.Tests.Storage;

public sealed class SqliteReminderTableTests : IAsyncLifetime
{
    private readonly string _path = TestSilo.NewDatabasePath();
    private readonly SqliteDatabase _database;
    private readonly SqliteReminderTable _table;

    public SqliteReminderTableTests()
    {
        _database = new SqliteDatabase(new SqliteStorageOptions { DatabasePath = _path });
        _table = new SqliteReminderTable(_database);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
    }

    private static ReminderEntry Entry(string key) => new()
    {
        GrainId = GrainId.Create("nodegrain", key),
        ReminderName = "on.keepalive",
        StartAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        Period = TimeSpan.FromMinutes(1),
    };

    [Fact]
    public async Task Upsert_ThenReadRow_ReturnsEntryWithItsETag()
    {
        var etag = await _table.UpsertRow(Entry("kv/0"));

        var row = await _table.ReadRow(GrainId.Create("nodegrain", "kv/0"), "on.keepalive");

        Assert.NotNull(row);
        Assert.Equal(etag, row.ETag);
        Assert.Equal(TimeSpan.FromMinutes(1), row.Period);
        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), row.StartAt);
    }

    [Fact]
    public async Task ReadRows_RingRange_SelectsByGrainHashIncludingWrapAround()
    {
        var entries = Enumerable.Range(0, 20).Select(i => Entry($"kv/{i}")).ToList();
        foreach (var entry in entries) await _table.UpsertRow(entry);
        var hashes = entries.Select(e => e.GrainId.GetUniformHashCode()).Order().ToList();
        var begin = hashes[5];
        var end = hashes[12];

        var inside = await _table.ReadRows(begin, end);
        var wrapped = await _table.ReadRows(end, begin);
        var everything = await _table.ReadRows(begin, begin);

        // (begin, end] holds hashes 6..12; its complement (end, begin] holds the other 13.
        Assert.Equal(7, inside.Reminders.Count);
        Assert.Equal(13, wrapped.Reminders.Count);
        Assert.Equal(20, everything.Reminders.Count);
    }

    [Fact]
    public async Task RemoveRow_StaleETag_KeepsRow()
    {
        var first = await _table.UpsertRow(Entry("kv/1"));
        var second = await _table.UpsertRow(Entry("kv/1"));

        Assert.False(await _table.RemoveRow(GrainId.Create("nodegrain", "kv/1"), "on.keepalive", first!));
        Assert.True(await _table.RemoveRow(GrainId.Create("nodegrain", "kv/1"), "on.keepalive", second!));
        Assert.Null(await _table.ReadRow(GrainId.Create("nodegrain", "kv/1"), "on.keepalive"));
    }
}
