namespace OrleansNodes.Client.Testing;

/// <summary>
/// Finds the silo <c>orleansnodes test --silos N</c> starts: <c>--silo PATH</c> when given (an
/// <c>orleansnodes-silo.dll</c>, run with <c>dotnet</c>, or an executable), else
/// <c>$ORLEANSNODES_SILO</c>, else a silo built next to this console in its repository
/// (<c>silo/bin/Release</c> or <c>Debug</c>), else <c>orleansnodes-silo</c> on the PATH.
/// </summary>
internal static class SiloLocator
{
    /// <summary>The environment variable naming the silo to start.</summary>
    public const string Variable = "ORLEANSNODES_SILO";

    private const string Assembly = "orleansnodes-silo.dll";
    private const string Executable = "orleansnodes-silo";

    /// <summary>How to start the silo, or a <see cref="CliException"/> saying how to name one.</summary>
    public static SiloLaunch Find(string? given)
    {
        if (given is not null)
            return FromPath(given) ?? throw CliException.BadInput($"--silo {given}: no such file");
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } named)
            return FromPath(named) ?? throw CliException.BadInput($"{Variable}={named}: no such file");
        return InRepository() ?? (Executables.Find(Executable) is { } onPath ? new SiloLaunch(onPath, []) : null)
            ?? throw CliException.Unavailable($"no silo to start: give --silo PATH ({Assembly} or an {Executable} executable) or set {Variable}");
    }

    private static SiloLaunch? FromPath(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) return null;
        return full.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? new SiloLaunch(DotnetHost(), [full]) : new SiloLaunch(full, []);
    }

    // A console run from its build output (bin/Release/net10.0 under client/) finds the silo
    // built beside it in the same repository.
    private static SiloLaunch? InRepository()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            foreach (var configuration in new[] { "Release", "Debug" })
            {
                var candidate = Path.Combine(folder.FullName, "silo", "bin", configuration, "net10.0", Assembly);
                if (File.Exists(candidate)) return new SiloLaunch(DotnetHost(), [candidate]);
            }
        }
        return null;
    }

    // The dotnet host running this console, when it runs as dotnet orleansnodes.dll; else the one on the PATH.
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
}
