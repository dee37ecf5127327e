using System.Diagnostics;
using System.Text;

namespace OrleansNodes.Packaging.Tests;

/// <summary>What a finished <c>dotnet</c> command left behind.</summary>
public sealed record CommandResult(string Command, int ExitCode, string Output, TimeSpan Elapsed)
{
    /// <summary>The command, its exit code, time and output, for failure messages.</summary>
    public string Describe() => $"{Command}\nexit {ExitCode} after {Elapsed.TotalSeconds:0.0} s\n{Output}";
}

/// <summary>
/// Runs the <c>dotnet</c> CLI (and installed tools) as a person would from a shell: to completion
/// within a bound, output kept, and without the variables <c>dotnet test</c> gives its test host
/// (MSBuild's paths, the test platform's), which would point a nested build at this one.
/// </summary>
public static class DotnetCommand
{
    private static readonly string[] InheritedPrefixes = ["MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly", "VSTEST_", "TESTINGPLATFORM_", "OrleansNodesTestResults"];

    /// <summary>The <c>dotnet</c> host running these tests, so nested commands use the same SDK install.</summary>
    public static string Host { get; } = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>.</summary>
    public static CommandResult Dotnet(string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan bound, params string[] arguments) =>
        Run(Host, workingDirectory, environment, bound, arguments);

    /// <summary>Runs <paramref name="file"/> with <paramref name="arguments"/>; kills it (and its children) past <paramref name="bound"/>.</summary>
    public static CommandResult Run(string file, string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan bound, params string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var name in start.Environment.Keys.ToList())
            if (InheritedPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))) start.Environment.Remove(name);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        foreach (var (name, value) in environment) start.Environment[name] = value;

        var command = $"{Path.GetFileName(file)} {string.Join(' ', arguments)}";
        var output = new StringBuilder();
        var started = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command}");
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        if (!process.WaitForExit(bound))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"{command} did not finish within {bound.TotalSeconds:0} s:\n{Text(output)}");
        }
        process.WaitForExit(); // the last redirected lines
        return new CommandResult(command, process.ExitCode, Text(output), started.Elapsed);
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }

    private static string Text(StringBuilder output)
    {
        lock (output) return output.ToString();
    }
}
