namespace OrleansNodes.Client.Testing;

/// <summary>Programs found as a shell finds them: on the PATH, in order.</summary>
internal static class Executables
{
    /// <summary>The first file called <paramref name="name"/> in a PATH folder, then in <paramref name="alsoIn"/>; null when none exists.</summary>
    public static string? Find(string name, params string[] alsoIn) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(alsoIn)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);
}
