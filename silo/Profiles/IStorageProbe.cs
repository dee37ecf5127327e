namespace OrleansNodes.Silo;

/// <summary>
/// Reaches a profile's storage once before Orleans starts, so an unreachable server or a
/// refused credential is one line and an exit code, not a silo that logs stack traces while
/// its providers retry. Registered by <see cref="StorageProfiles.Configure"/> for the redis
/// and azure profiles.
/// </summary>
public interface IStorageProbe
{
    /// <summary>Null when the storage answered; otherwise why not. Returns within a bounded time.</summary>
    Task<StorageProblem?> FindProblemAsync(CancellationToken cancellationToken);
}
