namespace OrleansNodes.Silo;

/// <summary>
/// Why a profile's storage cannot be used, as the one line the silo prints before it exits
/// with <paramref name="ExitCode"/>: 2 when the settings are wrong (a malformed connection
/// string, refused credentials), 3 when the server could not be reached.
/// </summary>
public sealed record StorageProblem(int ExitCode, string Message)
{
    /// <summary>The settings are wrong: exit code 2.</summary>
    public static StorageProblem BadSettings(string message) => new(2, message);

    /// <summary>The server did not answer: exit code 3.</summary>
    public static StorageProblem Unreachable(string message) => new(3, message);
}
