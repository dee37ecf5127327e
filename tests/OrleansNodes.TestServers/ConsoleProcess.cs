namespace OrleansNodes.TestServers;

/// <summary>The console (<c>orleansnodes</c>) run as a separate process, as an operator runs it.</summary>
public static class ConsoleProcess
{
    /// <summary>What one run printed and returned.</summary>
    public sealed record Result(int ExitCode, string Output);

    /// <summary>Starts the console without waiting (e.g. a load generator to be stopped later).</summary>
    public static ChildProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        ChildProcess.StartDotnet(Repository.Built("client", "orleansnodes"), arguments, environment);

    /// <summary>Runs the console to completion, bounded by <paramref name="bound"/> (default two minutes).</summary>
    public static async Task<Result> RunAsync(IEnumerable<string> arguments, TimeSpan? bound = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Start(arguments, environment);
        var exit = await process.WaitForExitAsync(bound ?? TimeSpan.FromMinutes(2));
        return new Result(exit, process.Output());
    }
}
