namespace OrleansNodes.Simulation.Linearizability;

/// <summary>
/// A history file that cannot be read. The message is one line naming the file, the line and
/// the reason, e.g. <c>history.jsonl: line 14: operation 7 has complete before invoke</c>.
/// </summary>
public sealed class HistoryFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="fileName"/>, 1-based <paramref name="line"/>.</summary>
    public HistoryFormatException(string fileName, int line, string reason)
        : base($"{fileName}: line {line}: {reason}")
    {
        FileName = fileName;
        Line = line;
        Reason = reason;
    }

    /// <summary>The file (or the name the caller gave the text).</summary>
    public string FileName { get; }

    /// <summary>The 1-based line of the problem.</summary>
    public int Line { get; }

    /// <summary>What is wrong, without the file and line.</summary>
    public string Reason { get; }
}
