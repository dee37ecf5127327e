using System.CommandLine;
using Command = System.CommandLine.Command;

namespace OrleansNodes.Client.Commands;

/// <summary>
/// <c>--output text|json</c> (<c>-o</c>): text for people (the default), or JSON for scripts,
/// one object per line (<see cref="JsonLines"/>). Errors stay one <c>error:</c> line on
/// standard error either way, and exit codes do not change.
/// </summary>
public static class OutputOption
{
    /// <summary>Tables and sentences.</summary>
    public const string Text = "text";

    /// <summary>One JSON object per line.</summary>
    public const string Json = "json";

    /// <summary>Adds the option to <paramref name="command"/>.</summary>
    public static Option<string> Create(Command command)
    {
        var option = new Option<string>("--output", "-o")
        {
            HelpName = "text|json",
            Description = "How to print the result: text for people, json for scripts (docs/operators.md describes each command's JSON).",
            DefaultValueFactory = _ => Text,
        };
        option.AcceptOnlyFromAmong(Text, Json);
        command.Options.Add(option);
        return option;
    }

    /// <summary>Whether <paramref name="option"/> asks for JSON.</summary>
    public static bool IsJson(this ParseResult parse, Option<string> option) => parse.GetValue(option) == Json;
}
