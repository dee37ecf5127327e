using System.Globalization;
using Spectre.Console;

namespace OrleansNodes.Client;

/// <summary>
/// The console the program writes to. On a terminal: colours, live tables and progress, as wide
/// as the window or as <c>COLUMNS</c> says. Redirected to a pipe or a file: plain text, no ANSI
/// codes, nothing interactive, and no wrapping (<see cref="PipeWidth"/>), so that a number or a
/// heading never breaks across lines for the <c>grep</c> or the script reading it. Tables stay
/// tables.
/// </summary>
public static class Terminal
{
    /// <summary>
    /// The width of redirected output: wide enough that nothing the console prints wraps, finite
    /// because a renderer adding to the width must not overflow.
    /// </summary>
    public const int PipeWidth = 1 << 16;

    /// <summary>The environment variable a terminal's width may be given in (as POSIX shells set it).</summary>
    public const string ColumnsVariable = "COLUMNS";

    /// <summary>The console for this process's standard output.</summary>
    public static IAnsiConsole ForStandardOutput() =>
        Create(Console.Out, Console.IsOutputRedirected, Environment.GetEnvironmentVariable(ColumnsVariable));

    /// <summary>
    /// A console writing to <paramref name="output"/>: plain and unwrapped when
    /// <paramref name="redirected"/>; otherwise detected from the terminal, with
    /// <paramref name="columns"/> (the <c>COLUMNS</c> value) as its width when it is a positive number.
    /// </summary>
    public static IAnsiConsole Create(TextWriter output, bool redirected, string? columns)
    {
        if (redirected)
        {
            var piped = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
                Out = new AnsiConsoleOutput(output),
            });
            piped.Profile.Width = PipeWidth;
            return piped;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        if (int.TryParse(columns, NumberStyles.None, CultureInfo.InvariantCulture, out var width) && width > 0)
            console.Profile.Width = Math.Min(width, PipeWidth);
        return console;
    }
}
