namespace OrleansNodes.TestServers;

/// <summary>Temporary folders the servers and silos write into.</summary>
public static class TempFolder
{
    /// <summary>Deletes <paramref name="path"/> and everything in it, if it can: a dying process may still hold a file, and a temp folder left behind is harmless.</summary>
    public static void TryDelete(string path)
    {
        if (path.Length == 0 || !Directory.Exists(path)) return;
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
