namespace OrleansNodes.Hosting.Benchmarks;

/// <summary>Where the measured silo keeps grain state.</summary>
public enum StorageProfile
{
    /// <summary>Orleans' in-memory grain storage: the cost of the host alone.</summary>
    Memory,

    /// <summary>The embedded profile's SQLite file, WAL mode, every commit fsynced.</summary>
    Sqlite,
}
