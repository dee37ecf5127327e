using System.CommandLine;
using Command = System.CommandLine.Command;
using OrleansNodes.Simulation.Linearizability;
using Spectre.Console;

namespace OrleansNodes.Client.Commands;

/// <summary>
/// <c>orleansnodes check FILE</c>: checks a history for linearizability. Exit 0 when it is
/// linearizable, 1 when it is not (with the operations that cannot be ordered), 2 on bad input
/// (with the line and the reason), 4 when the search budget ran out before a verdict.
/// </summary>
public static class CheckCommand
{
    /// <summary>Exit code when the checker could not decide within its budget.</summary>
    public const int Undecided = 4;

    private static readonly string[] Formats = ["auto", "json", "jepsen", "edn"];

    /// <summary>Builds the command.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var file = new Argument<FileInfo>("file") { Description = "A history: orleansnodes-history/1 JSON lines (docs/history-format.md), a Jepsen etcd log, or an EDN key-value log." };
        var format = new Option<string>("--format")
        {
            Description = "The file's format; auto looks at the first line.",
            DefaultValueFactory = _ => "auto",
        };
        format.AcceptOnlyFromAmong(Formats);
        var maxSteps = new Option<long>("--max-steps")
        {
            Description = "Search steps allowed per key before the verdict is 'undecided'.",
            DefaultValueFactory = _ => CheckOptions.Default.MaxStepsPerKey,
        };
        OptionRules.Require(maxSteps, v => v > 0, "--max-steps must be a positive number");

        var command = new Command("check", "Check a recorded history for linearizability.") { file, format, maxSteps };
        command.SetAction(parse => Run(console, parse.GetValue(file)!, parse.GetValue(format)!, parse.GetValue(maxSteps)));
        return command;
    }

    private static int Run(IAnsiConsole console, FileInfo file, string format, long maxSteps)
    {
        if (Directory.Exists(file.FullName)) throw CliException.BadInput($"{file.FullName}: is a directory, not a history file");
        if (!file.Exists) throw CliException.BadInput($"{file.Name}: no such file");
        var text = File.ReadAllText(file.FullName);
        var (history, model, kind) = Load(text, file.Name, format);

        var result = LinearizabilityChecker.Check(history, model, CheckOptions.Default with { MaxStepsPerKey = maxSteps });
        var keys = result.Keys.Length;
        switch (result.Verdict)
        {
            case Verdict.Linearizable:
                console.MarkupLineInterpolated($"[green]linearizable[/]: {history.Operations.Length} operations on {keys} key(s) ({kind}), {result.Steps:N0} search steps");
                return ExitCodes.Ok;
            case Verdict.NotLinearizable:
                console.MarkupLineInterpolated($"[red]not linearizable[/]: key {result.FailingKey ?? "?"} ({kind})");
                console.WriteLine(result.Explanation);
                return ExitCodes.Failed;
            default:
                console.MarkupLineInterpolated($"[yellow]undecided[/]: the search budget ({maxSteps:N0} steps per key) ran out; retry with a larger --max-steps");
                console.WriteLine(result.Explanation);
                return Undecided;
        }
    }

    private static (History History, IModel Model, string Kind) Load(string text, string fileName, string format)
    {
        var detected = format == "auto" ? Detect(text) : format;
        try
        {
            return detected switch
            {
                "json" => (HistoryJson.Parse(text, fileName), KeyValueModel.Instance, "key-value"),
                "edn" => (EdnKeyValueLog.Parse(text, fileName), KeyValueModel.Instance, "key-value"),
                "jepsen" => (JepsenEtcdLog.Parse(text, fileName), CasRegisterModel.Instance, "cas register"),
                _ => throw CliException.BadInput($"{fileName}: cannot tell the format from the first line; pass --format json|jepsen|edn"),
            };
        }
        catch (HistoryFormatException e)
        {
            throw CliException.BadInput(e.Message);
        }
    }

    private static string? Detect(string text)
    {
        var first = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        if (first is null) return "json"; // an empty file: let the JSON reader name the missing header
        if (first.StartsWith("{:", StringComparison.Ordinal)) return "edn";
        if (first.StartsWith('{')) return "json";
        if (first.Contains("jepsen", StringComparison.Ordinal) || first.Contains(":invoke", StringComparison.Ordinal)) return "jepsen";
        return null;
    }
}
