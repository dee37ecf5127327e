using System.Reflection;
using OrleansNodes.TestServers;

namespace OrleansNodes.Packaging.Tests;

/// <summary>
/// The OrleansNodes packages as a protocol author gets them, made once for the slow tests: the
/// solution packed (what this configuration just built, not rebuilt) into a fresh folder, under a
/// version no package cache has seen, so nothing stale can stand in for it; the guide's example
/// copied beside the packages in the repository's layout, so its own nuget.config
/// (../../artifacts/packages) finds them, and built there, outside this repository's props; and
/// the console tool installed into a tool path of its own.
/// </summary>
public sealed class PackagedExample : IDisposable
{
    private static readonly TimeSpan CommandBound = TimeSpan.FromMinutes(4);

    public PackagedExample()
    {
        Root = Directory.CreateTempSubdirectory("on-packaging-").FullName;
        Version = $"{RepositoryVersion}-packaging.t{Guid.NewGuid().ToString("N")[..12]}";
        Packages = Path.Combine(Root, "artifacts", "packages");
        Example = Path.Combine(Root, "examples", "MaxGossip");
        Tools = Path.Combine(Root, "tools");
        // Restored packages go to a folder of the run's own; everything but the fresh OrleansNodes
        // packages comes from this machine's cache (RestoreFallbackFolders below), not the network.
        Environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(Root, "nuget") };
        try
        {
            Pack = Require(DotnetCommand.Dotnet(Repository.Root, Environment, CommandBound,
                "pack", "OrleansNodes.sln", "-c", Configuration, "--no-build", "-o", Packages, $"-p:PackageVersion={Version}"));

            Copy(Path.Combine(Repository.Root, "examples", "MaxGossip"), Example);
            Build = Require(DotnetCommand.Dotnet(Example, Environment, CommandBound,
                "build", "MaxGossip.slnx", "-c", "Release", $"-p:OrleansNodesVersion={Version}",
                $"-p:RestoreFallbackFolders={Metadata("NuGetPackageRoot")}", "--disable-build-servers"));

            // Only the packed folder as a source: the tool is installed from what was just packed.
            var config = Path.Combine(Root, "tool-nuget.config");
            File.WriteAllText(config, $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="packed" value="{Packages}" />
                  </packageSources>
                </configuration>
                """);
            ToolInstall = Require(DotnetCommand.Dotnet(Root, Environment, CommandBound,
                "tool", "install", "OrleansNodes.Console", "--version", Version, "--tool-path", Tools, "--configfile", config));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The repository's version (Directory.Build.props), which every assembly carries.</summary>
    public static string RepositoryVersion => Metadata("PackageVersion");

    /// <summary>The configuration these tests (and so the packed projects) were built in.</summary>
    public static string Configuration => Metadata("Configuration");

    /// <summary>The temporary folder everything lives in.</summary>
    public string Root { get; }

    /// <summary>The packages' version in this run: the repository's, with a prerelease label of its own.</summary>
    public string Version { get; }

    /// <summary>Where the packages were written.</summary>
    public string Packages { get; }

    /// <summary>The example's copy, built.</summary>
    public string Example { get; }

    /// <summary>The tool path the console was installed into.</summary>
    public string Tools { get; }

    /// <summary>The installed <c>orleansnodes</c> command.</summary>
    public string Console => Path.Combine(Tools, OperatingSystem.IsWindows() ? "orleansnodes.exe" : "orleansnodes");

    /// <summary>Environment every command of this run gets.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    public CommandResult Pack { get; }

    public CommandResult Build { get; }

    public CommandResult ToolInstall { get; }

    /// <summary>A file of the built example, e.g. <c>Built("MaxGossip.Silo", "MaxGossip.Silo.dll")</c>.</summary>
    public string Built(string project, string file) => Path.Combine(Example, project, "bin", "Release", "net10.0", file);

    /// <summary>Runs the installed console.</summary>
    public CommandResult Run(params string[] arguments) => DotnetCommand.Run(Console, Root, Environment, TimeSpan.FromMinutes(1), arguments);

    /// <inheritdoc/>
    public void Dispose() => TempFolder.TryDelete(Root);

    private static CommandResult Require(CommandResult result) =>
        result.ExitCode == 0 ? result : throw new InvalidOperationException($"failed:\n{result.Describe()}");

    /// <summary>Copies a source tree, leaving out build output a developer may have left in it.</summary>
    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var folder in Directory.EnumerateDirectories(from))
            if (Path.GetFileName(folder) is not ("bin" or "obj")) Copy(folder, Path.Combine(to, Path.GetFileName(folder)));
    }

    private static string Metadata(string key) =>
        typeof(PackagedExample).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"assembly metadata {key} is missing");
}
