using Microsoft.Data.Sqlite;

namespace OrleansNodes.Hosting.Tests.Support;

/// <summary>Direct access to the SQLite file, playing a second writer or an outside observer.</summary>
public static class StorageTestKit
{
    /// <summary>Advances the stored version of node <paramref name="nodeKey"/>, as a second activation's writes would.</summary>
    public static async Task BumpVersionAsync(string databasePath, string nodeKey)
    {
        await using var connection = Open(databasePath);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE node_meta SET version = version + 1000 WHERE node = $key";
        command.Parameters.AddWithValue("$key", nodeKey);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    /// <summary>The stored version (write count) of node <paramref name="nodeKey"/>, without touching the grain.</summary>
    public static async Task<long> StoredVersionAsync(string databasePath, string nodeKey)
    {
        await using var connection = Open(databasePath);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM node_meta WHERE node = $key";
        command.Parameters.AddWithValue("$key", nodeKey);
        return await command.ExecuteScalarAsync() is long etag ? etag : 0;
    }

    private static SqliteConnection Open(string databasePath)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
