using System.Reflection;

namespace OrleansNodes.Simulation;

/// <summary>
/// The last line of a violation report: how to replay its saved schedule, as one line that works
/// from any folder. The console replays the schedules of the protocols it ships with
/// (OrleansNodes.Protocols, by name); it cannot build anyone else's protocol or settings, so for
/// any other protocol the hint is the call that replays the schedule from the author's own test,
/// where both are at hand.
/// </summary>
/// <remarks>
/// Which console: the one running, if this is the console (<c>orleansnodes</c> when it runs as the
/// installed .NET tool, else <c>dotnet "/abs/…/orleansnodes.dll"</c>, preferring a Release build
/// beside a Debug one); outside the console (a test), the repository's Release build when there is
/// one, else the installed tool's name. Never <c>dotnet run</c>: it builds first and only works
/// from the repository root.
/// </remarks>
public static class ReplayHint
{
    /// <summary>The assembly of the protocols the console knows by name (client/ProtocolCatalog.cs).</summary>
    private const string ConsoleProtocols = "OrleansNodes.Protocols";

    /// <summary>The console's assembly and tool command name (client/OrleansNodes.Client.csproj).</summary>
    private const string ConsoleName = "orleansnodes";

    private static readonly Lazy<string> _console = new(FindConsole);

    /// <summary>The hint for a schedule of <paramref name="protocol"/> saved at <paramref name="schedulePath"/>.</summary>
    /// <param name="protocol">The protocol's type: a subclass in a test assembly (a mutant) is the author's own.</param>
    /// <param name="hasWorkload">Whether the run drove simulated clients, which the replaying simulator needs too.</param>
    /// <param name="schedulePath">Where the schedule was saved.</param>
    public static string For(Type protocol, bool hasWorkload, string schedulePath)
    {
        var path = Path.GetFullPath(schedulePath);
        if (protocol.Assembly.GetName().Name == ConsoleProtocols) return $"{_console.Value} sim --replay {Quoted(path)}";
        var workload = hasWorkload ? ".WithWorkload(clients)" : "";
        return $"Simulator.Create({Construction(protocol)}, settings){workload}.Replay(Schedule.Load({Literal(path)}))";
    }

    /// <summary>The console command that replays (and traces) the schedule saved at <paramref name="schedulePath"/>.</summary>
    public static string ConsoleReplay(string schedulePath) => $"{_console.Value} sim --replay {Quoted(Path.GetFullPath(schedulePath))}";

    /// <summary>How to start the console, e.g. <c>orleansnodes</c> or <c>dotnet "/repo/client/bin/Release/net10.0/orleansnodes.dll"</c>.</summary>
    internal static string FindConsole()
    {
        var entry = Assembly.GetEntryAssembly();
        if (entry?.GetName().Name == ConsoleName && !string.IsNullOrEmpty(entry.Location))
        {
            // An installed tool runs from the tool store (~/.dotnet/tools/.store/…) behind a shim on the PATH.
            if (entry.Location.Contains($"{Path.DirectorySeparatorChar}.store{Path.DirectorySeparatorChar}", StringComparison.Ordinal)) return ConsoleName;
            return Dotnet(ReleaseSibling(entry.Location) ?? entry.Location);
        }

        // A test or another host: the repository's Release console, if built.
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var release = Path.Combine(directory.FullName, "client", "bin", "Release");
            if (!Directory.Exists(release)) continue;
            var dll = Directory.EnumerateFiles(release, ConsoleName + ".dll", SearchOption.AllDirectories).OrderDescending(StringComparer.Ordinal).FirstOrDefault();
            if (dll is not null) return Dotnet(dll);
        }

        return ConsoleName;
    }

    /// <summary>…/bin/Release/net10.0/orleansnodes.dll for …/bin/Debug/net10.0/orleansnodes.dll, when it exists.</summary>
    private static string? ReleaseSibling(string location)
    {
        var debug = $"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}";
        var at = location.LastIndexOf(debug, StringComparison.Ordinal);
        if (at < 0) return null;
        var release = location[..at] + debug.Replace("Debug", "Release", StringComparison.Ordinal) + location[(at + debug.Length)..];
        return File.Exists(release) ? release : null;
    }

    private static string Dotnet(string dll) => $"dotnet {Quoted(dll)}";

    /// <summary>Double quotes, which POSIX shells, cmd and PowerShell all read as one argument.</summary>
    private static string Quoted(string path) => $"\"{path}\"";

    /// <summary>
    /// <c>new Name()</c> for a protocol with a parameterless constructor; otherwise a placeholder,
    /// since the arguments the run's instance was made with (a mutant's switch) cannot be read back.
    /// </summary>
    private static string Construction(Type protocol) =>
        !protocol.IsGenericType && protocol.GetConstructor(Type.EmptyTypes) is not null ? $"new {protocol.Name}()" : "protocol";

    private static string Literal(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
