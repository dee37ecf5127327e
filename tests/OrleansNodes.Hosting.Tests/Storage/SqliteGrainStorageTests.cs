using Microsoft.Data.Sqlite;
using Orleans.Storage;
using OrleansNodes.Hosting.Storage;
using OrleansNodes.Hosting.Tests.Support;
using OrleansNodes.Hosting.Tests.Tally;

namespace OrleansNodes.Hosting.Tests.Storage;

public sealed class SqliteGrainStorageTests : IAsyncLifetime
{
    private readonly string _path = TestSilo.NewDatabasePath();
    private readonly SqliteDatabase _database;
    private readonly SqliteGrainStorage _storage;
    private readonly GrainId _grain = GrainId.Create("nodegrain", "t/0");

    public SqliteGrainStorageTests()
    {
        _database = new SqliteDatabase(new SqliteStorageOptions { DatabasePath = _path });
        _storage = new SqliteGrainStorage("test", _database, SerializerKit.Serializer, SerializerKit.Activators);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // The writer and the checkpointer first: a checkpoint still running recreates the -wal and -shm files.
        await _database.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
    }

    private static StoredTally Record(long total) => new()
    {
        State = new TallyProtocol().Init(NodeConfig<TallySettings>.Cluster(3, new TallySettings(0), 5)[1]) with { Total = total },
        Version = total,
    };

    [Fact]
    public async Task Write_ThenRead_RoundTripsStateAndETag()
    {
        var written = new GrainState<StoredTally>(Record(4));
        await _storage.WriteStateAsync("node", _grain, written);

        var read = new GrainState<StoredTally>(new StoredTally());
        await _storage.ReadStateAsync("node", _grain, read);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        var state = Assert.IsType<TallyState>(read.State!.State);
        Assert.Equal(4, state.Total);
        Assert.Equal(((TallyState)written.State!.State!).Gossip, state.Gossip);
        Assert.Equal(((TallyState)written.State!.State!).Random, state.Random);
        Assert.Equal(((TallyState)written.State!.State!).Heard, state.Heard);
    }

    [Fact]
    public async Task Read_NeverWritten_NoRecordAndNoETag()
    {
        var read = new GrainState<StoredTally>(new StoredTally());
        await _storage.ReadStateAsync("node", _grain, read);

        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
    }

    [Fact]
    public async Task Write_TwoWritersFromSameETag_SecondThrowsInconsistentState()
    {
        // Two activations of one node both loaded the same version.
        await _storage.WriteStateAsync("node", _grain, new GrainState<StoredTally>(Record(1)));
        var first = new GrainState<StoredTally>(new StoredTally());
        var second = new GrainState<StoredTally>(new StoredTally());
        await _storage.ReadStateAsync("node", _grain, first);
        await _storage.ReadStateAsync("node", _grain, second);

        first.State = Record(2);
        await _storage.WriteStateAsync("node", _grain, first);
        second.State = Record(3);
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("node", _grain, second));

        Assert.Equal(first.ETag, conflict.StoredEtag);
        var read = new GrainState<StoredTally>(new StoredTally());
        await _storage.ReadStateAsync("node", _grain, read);
        Assert.Equal(2, ((TallyState)read.State!.State!).Total);
    }

    [Fact]
    public async Task Write_NewRecordWhenOneExists_ThrowsInconsistentState()
    {
        await _storage.WriteStateAsync("node", _grain, new GrainState<StoredTally>(Record(1)));

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("node", _grain, new GrainState<StoredTally>(Record(2))));
    }

    [Fact]
    public async Task Write_ManyNodesAtOnceOneStale_OnlyTheStaleWriteFails()
    {
        // Concurrent writes share group-commit transactions; a conflict must not sink the others.
        var stale = new GrainState<StoredTally>(Record(1));
        await _storage.WriteStateAsync("node", _grain, stale);
        await _storage.WriteStateAsync("node", _grain, new GrainState<StoredTally>(Record(2)) { ETag = stale.ETag });
        var grains = Enumerable.Range(1, 50).Select(i => GrainId.Create("nodegrain", $"many/{i}")).ToList();

        var writes = grains.Select(grain => _storage.WriteStateAsync("node", grain, new GrainState<StoredTally>(Record(7)))).ToList();
        var staleWrite = _storage.WriteStateAsync("node", _grain, stale);
        await Task.WhenAll(writes);

        await Assert.ThrowsAsync<InconsistentStateException>(() => staleWrite);
        foreach (var grain in grains)
        {
            var read = new GrainState<StoredTally>(new StoredTally());
            await _storage.ReadStateAsync("node", grain, read);
            Assert.Equal(7, ((TallyState)read.State!.State!).Total);
        }
    }

    [Fact]
    public async Task Clear_ThenRead_RecordGone()
    {
        var state = new GrainState<StoredTally>(Record(1));
        await _storage.WriteStateAsync("node", _grain, state);

        await _storage.ClearStateAsync("node", _grain, state);
        var read = new GrainState<StoredTally>(new StoredTally());
        await _storage.ReadStateAsync("node", _grain, read);

        Assert.False(state.RecordExists);
        Assert.False(read.RecordExists);
    }

    [Fact]
    public async Task Database_AfterFirstUse_IsInWalMode()
    {
        await _storage.WriteStateAsync("node", _grain, new GrainState<StoredTally>(Record(1)));

        await using var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        connection.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }
}

/// <summary>A grain-state record like the cluster registry's, for the grain storage the registry still uses.</summary>
[GenerateSerializer, Alias("on.tests.StoredTally")]
public sealed record StoredTally
{
    [Id(0)] public TallyState? State { get; init; }

    [Id(1)] public long Version { get; init; }
}
