namespace OrleansNodes.TestServers;

/// <summary>Finds programs on PATH.</summary>
internal static class ExecutableLookup
{
    public static string? Find(string name, params string[] extraFolders)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return extraFolders.Concat(path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);
    }
}
