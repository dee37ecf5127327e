namespace OrleansNodes.Client;

/// <summary>The console's exit codes; scripts and CI depend on them.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked: a simulation passed, a history is linearizable.</summary>
    public const int Ok = 0;

    /// <summary>The command ran and the answer is no: a violation, a non-linearizable history, a missing key, a cas that did not apply.</summary>
    public const int Failed = 1;

    /// <summary>The command line or an input file was wrong; nothing was run.</summary>
    public const int BadInput = 2;

    /// <summary>Something outside the console failed: a silo is unreachable, a file cannot be written.</summary>
    public const int Unavailable = 3;

    /// <summary>
    /// A request was sent but no answer came in time: it may or may not have taken effect
    /// (never "failed"). Retrying the same command is safe only if it is idempotent (get, put,
    /// delete); check the value before retrying an append or a cas.
    /// </summary>
    public const int UnknownOutcome = 5;

    /// <summary>Ctrl+C or SIGTERM stopped the command before it was done (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}
