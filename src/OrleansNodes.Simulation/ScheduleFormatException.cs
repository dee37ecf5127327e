namespace OrleansNodes.Simulation;

/// <summary>A schedule file that cannot be used; the message is one line naming the file, the line and the reason.</summary>
public sealed class ScheduleFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ScheduleFormatException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
