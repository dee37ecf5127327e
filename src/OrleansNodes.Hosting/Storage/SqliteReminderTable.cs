using System.Globalization;
using Microsoft.Data.Sqlite;

namespace OrleansNodes.Hosting.Storage;

/// <summary>
/// Orleans' reminder table in the same SQLite file as node state, so the keep-alive reminder
/// of every started node survives the silo: after a restart the reminder service reads this
/// table and re-activates each node, whose timer then resumes its ticks with no client traffic.
/// </summary>
public sealed class SqliteReminderTable : IReminderTable
{
    private readonly SqliteDatabase _database;

    internal SqliteReminderTable(SqliteDatabase database) => _database = database;

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken = default) => _database.RunAsync(_ => true);

    /// <inheritdoc/>
    public Task<ReminderTableData> ReadRows(GrainId grainId) =>
        _database.RunAsync(connection => Select(connection, "WHERE grain_id = $grain", ("$grain", grainId.ToString())));

    /// <inheritdoc/>
    public Task<ReminderTableData> ReadRows(uint begin, uint end) =>
        // A ring range (begin, end]; begin >= end wraps around (begin == end is the whole ring),
        // as Orleans' RingRange defines it.
        _database.RunAsync(connection => begin < end
            ? Select(connection, "WHERE grain_hash > $begin AND grain_hash <= $end", ("$begin", (long)begin), ("$end", (long)end))
            : Select(connection, "WHERE grain_hash > $begin OR grain_hash <= $end", ("$begin", (long)begin), ("$end", (long)end)));

    /// <inheritdoc/>
    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName)
    {
        var rows = await _database.RunAsync(connection =>
            Select(connection, "WHERE grain_id = $grain AND name = $name", ("$grain", grainId.ToString()), ("$name", reminderName)));
        return rows.Reminders.Count == 0 ? null : rows.Reminders[0];
    }

    /// <inheritdoc/>
    public Task<string?> UpsertRow(ReminderEntry entry) =>
        _database.WriteAsync<string?>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO reminders (grain_id, name, grain_hash, start_at, period, etag)
                VALUES ($grain, $name, $hash, $start, $period, 1)
                ON CONFLICT (grain_id, name) DO UPDATE SET start_at = excluded.start_at, period = excluded.period, etag = reminders.etag + 1
                RETURNING etag
                """;
            command.Parameters.AddWithValue("$grain", entry.GrainId.ToString());
            command.Parameters.AddWithValue("$name", entry.ReminderName);
            command.Parameters.AddWithValue("$hash", (long)entry.GrainId.GetUniformHashCode());
            command.Parameters.AddWithValue("$start", entry.StartAt.ToUniversalTime().Ticks);
            command.Parameters.AddWithValue("$period", entry.Period.Ticks);
            var etag = ((long)command.ExecuteScalar()!).ToString(CultureInfo.InvariantCulture);
            entry.ETag = etag;
            return etag;
        });

    /// <inheritdoc/>
    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) =>
        _database.WriteAsync(connection =>
        {
            if (!long.TryParse(eTag, NumberStyles.None, CultureInfo.InvariantCulture, out var expected)) return false;
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM reminders WHERE grain_id = $grain AND name = $name AND etag = $etag";
            command.Parameters.AddWithValue("$grain", grainId.ToString());
            command.Parameters.AddWithValue("$name", reminderName);
            command.Parameters.AddWithValue("$etag", expected);
            return command.ExecuteNonQuery() == 1;
        });

    /// <inheritdoc/>
    public Task TestOnlyClearTable() =>
        _database.WriteAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM reminders";
            return command.ExecuteNonQuery();
        });

    private static ReminderTableData Select(SqliteConnection connection, string where, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT grain_id, name, start_at, period, etag FROM reminders " + where;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        using var reader = command.ExecuteReader();
        var entries = new List<ReminderEntry>();
        while (reader.Read())
        {
            entries.Add(new ReminderEntry
            {
                GrainId = GrainId.Parse(reader.GetString(0)),
                ReminderName = reader.GetString(1),
                StartAt = new DateTime(reader.GetInt64(2), DateTimeKind.Utc),
                Period = TimeSpan.FromTicks(reader.GetInt64(3)),
                ETag = reader.GetInt64(4).ToString(CultureInfo.InvariantCulture),
            });
        }
        return new ReminderTableData(entries);
    }
}
