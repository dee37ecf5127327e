using System.Reflection;

namespace OrleansNodes.TestServers;

/// <summary>Paths in the repository the tests were built from.</summary>
public static class Repository
{
    /// <summary>The repository's root folder.</summary>
    public static string Root { get; } = typeof(Repository).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    /// <summary>
    /// A project's built assembly, in the configuration and target framework of the running tests
    /// (so Release tests run the Release silo), e.g. <c>Built("silo", "orleansnodes-silo")</c>.
    /// </summary>
    public static string Built(string projectFolder, string assemblyName)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(Root, projectFolder, "bin", output.Parent!.Name, output.Name, assemblyName + ".dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"build {projectFolder} first: {dll} is missing", dll);
    }

    /// <summary>True when running under CI (the <c>CI</c> environment variable), where no server may be missing.</summary>
    public static bool InCi => Environment.GetEnvironmentVariable("CI") is { Length: > 0 } ci && ci != "false";
}
