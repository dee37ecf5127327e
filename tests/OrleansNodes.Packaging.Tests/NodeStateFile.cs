using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace OrleansNodes.Packaging.Tests;

/// <summary>
/// Reads the hard state each node of a cluster last wrote to a silo's SQLite file, read-only while
/// the silo runs. A stand-in for <c>orleansnodes cluster status</c>, which cannot yet read a cluster
/// whose settings are of a type the console does not ship (see <see cref="PackagedExampleTests"/>).
/// </summary>
internal static class NodeStateFile
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    /// <summary>Node key (<c>cluster/index</c>) to its hard state, for every node that has written one.</summary>
    public static IReadOnlyDictionary<string, object?> HardStates(string databasePath, string cluster)
    {
        var states = new Dictionary<string, object?>();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT node, hard FROM node_meta WHERE node LIKE $prefix";
        command.Parameters.AddWithValue("$prefix", cluster + "/%");
        using var reader = command.ExecuteReader();
        while (reader.Read()) states[reader.GetString(0)] = Serializer.Deserialize<object?>((byte[])reader[1]);
        return states;
    }
}
