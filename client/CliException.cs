namespace OrleansNodes.Client;

/// <summary>
/// An error the console reports as one line and an exit code, never as a stack trace.
/// </summary>
public sealed class CliException(int exitCode, string message) : Exception(message)
{
    /// <summary>The process exit code to return.</summary>
    public int ExitCode { get; } = exitCode;

    /// <summary>Bad command-line input or a bad input file.</summary>
    public static CliException BadInput(string message) => new(ExitCodes.BadInput, message);

    /// <summary>An unreachable service or an unwritable file.</summary>
    public static CliException Unavailable(string message) => new(ExitCodes.Unavailable, message);
}
