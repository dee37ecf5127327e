using System.Globalization;
using Microsoft.Data.Sqlite;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace OrleansNodes.Hosting.Storage;

/// <summary>
/// Grain storage in a local SQLite file, with optimistic concurrency: every row carries an
/// ETag (a write counter), and a write names the ETag it read. Two activations of one node
/// both read ETag 5; the first write moves it to 6, the second matches no row and gets an
/// <see cref="InconsistentStateException"/>, and the node grain stops without sending.
/// States are written with Orleans' serializer, so version-tolerant <c>[Id]</c> fields and
/// <c>[Alias]</c> type names keep old rows readable across upgrades.
/// </summary>
public sealed class SqliteGrainStorage : IGrainStorage
{
    private readonly string _name;
    private readonly SqliteDatabase _database;
    private readonly Serializer _serializer;
    private readonly IActivatorProvider _activators;

    internal SqliteGrainStorage(string name, SqliteDatabase database, Serializer serializer, IActivatorProvider activators)
    {
        _name = name;
        _database = database;
        _serializer = serializer;
        _activators = activators;
    }

    /// <inheritdoc/>
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = grainId.ToString();
        var row = await _database.RunAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT etag, payload FROM grain_state WHERE state_name = $state AND grain_id = $grain";
            command.Parameters.AddWithValue("$state", stateName);
            command.Parameters.AddWithValue("$grain", key);
            using var reader = command.ExecuteReader();
            return reader.Read() ? (ETag: reader.GetInt64(0), Payload: (byte[])reader.GetValue(1)) : ((long ETag, byte[] Payload)?)null;
        });
        if (row is not { } found)
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }
        grainState.State = _serializer.Deserialize<T>(found.Payload);
        grainState.ETag = FormatETag(found.ETag);
        grainState.RecordExists = true;
    }

    /// <inheritdoc/>
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = grainId.ToString();
        var payload = _serializer.SerializeToArray(grainState.State);
        var expected = ParseETag(grainState.ETag);
        var written = await _database.WriteAsync(connection =>
        {
            using var command = connection.CreateCommand();
            // Insert only when the caller saw no row; otherwise update only the row version it read.
            command.CommandText = expected is null
                ? "INSERT INTO grain_state (state_name, grain_id, etag, payload) VALUES ($state, $grain, 1, $payload) ON CONFLICT DO NOTHING"
                : "UPDATE grain_state SET etag = etag + 1, payload = $payload WHERE state_name = $state AND grain_id = $grain AND etag = $expected";
            command.Parameters.AddWithValue("$state", stateName);
            command.Parameters.AddWithValue("$grain", key);
            command.Parameters.AddWithValue("$payload", payload);
            if (expected is { } etag) command.Parameters.AddWithValue("$expected", etag);
            return command.ExecuteNonQuery() == 1;
        });
        if (!written) throw await ConflictAsync(stateName, grainId, grainState.ETag);
        grainState.ETag = FormatETag((expected ?? 0) + 1);
        grainState.RecordExists = true;
    }

    /// <inheritdoc/>
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (ParseETag(grainState.ETag) is { } expected)
        {
            var key = grainId.ToString();
            var deleted = await _database.WriteAsync(connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = "DELETE FROM grain_state WHERE state_name = $state AND grain_id = $grain AND etag = $expected";
                command.Parameters.AddWithValue("$state", stateName);
                command.Parameters.AddWithValue("$grain", key);
                command.Parameters.AddWithValue("$expected", expected);
                return command.ExecuteNonQuery() == 1;
            });
            if (!deleted) throw await ConflictAsync(stateName, grainId, grainState.ETag);
        }
        grainState.State = _activators.GetActivator<T>().Create();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private async Task<InconsistentStateException> ConflictAsync(string stateName, GrainId grainId, string? currentETag)
    {
        var key = grainId.ToString();
        var stored = await _database.RunAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT etag FROM grain_state WHERE state_name = $state AND grain_id = $grain";
            command.Parameters.AddWithValue("$state", stateName);
            command.Parameters.AddWithValue("$grain", key);
            return command.ExecuteScalar() is long etag ? FormatETag(etag) : null;
        });
        return new InconsistentStateException(
            $"{_name}: {stateName} of {grainId} was written by someone else (stored ETag {stored ?? "none"}, this writer read {currentETag ?? "none"})",
            stored ?? string.Empty,
            currentETag ?? string.Empty);
    }

    private static string FormatETag(long etag) => etag.ToString(CultureInfo.InvariantCulture);

    private static long? ParseETag(string? etag) =>
        etag is null ? null
        : long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
        : throw new InconsistentStateException($"'{etag}' is not an ETag of this storage", string.Empty, etag);
}
