using OrleansNodes.Hosting.Storage;

namespace OrleansNodes.Silo;

/// <summary>
/// The embedded profile's check before Orleans starts. A data file that exists but is empty or
/// damaged is refused with one line pointing at the backups (SQLite would take an empty file for a
/// new database, and the silo would create an empty cluster in it: every acknowledged write gone,
/// without a word). A data file written by OrleansNodes 0.1, which kept each node as one
/// whole-state record, is refused too: read by this version its nodes would look never started,
/// and the cluster would silently serve an empty store.
/// </summary>
internal sealed class SqliteStorageProbe(string databasePath) : IStorageProbe
{
    public Task<StorageProblem?> FindProblemAsync(CancellationToken cancellationToken)
    {
        if (SqliteNodeStore.DescribeDamage(databasePath) is { } damage)
        {
            return Task.FromResult<StorageProblem?>(StorageProblem.BadSettings(
                $"the data file {databasePath} is damaged: {damage}; restore it from a backup (docs/operators.md, \"Data folder and backups\"), " +
                "or move it away to start with an empty store"));
        }
        try
        {
            return Task.FromResult(SqliteNodeStore.DescribeLegacyState(databasePath) is { } legacy
                ? StorageProblem.BadSettings(
                    $"{databasePath} holds {legacy}, which this version cannot read; start with another --data folder and keep this one " +
                    "until its data is copied (docs/operators.md, \"Upgrading from 0.1\")")
                : null);
        }
        catch (Microsoft.Data.Sqlite.SqliteException exception)
        {
            return Task.FromResult<StorageProblem?>(StorageProblem.BadSettings($"{databasePath} cannot be read as a SQLite database: {exception.Message}"));
        }
    }
}
