using OrleansNodes.Hosting.Storage;

namespace OrleansNodes.Silo;

/// <summary>
/// The embedded profile's check before Orleans starts: a data file written by OrleansNodes 0.1,
/// which kept each node as one whole-state record, is refused with one line saying what to do.
/// Read by this version its nodes would look never started, and the cluster would silently
/// serve an empty store.
/// </summary>
internal sealed class SqliteStorageProbe(string databasePath) : IStorageProbe
{
    public Task<StorageProblem?> FindProblemAsync(CancellationToken cancellationToken)
    {
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
