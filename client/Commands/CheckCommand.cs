using System.CommandLine;
using Command = System.CommandLine.Command;
using OrleansNodes.Simulation.Linearizability;
using Spectre.Console;

namespace OrleansNodes.Client.Commands;

/// <summary>
/// <c>orleansnodes check FILE</c>: checks a history for linearizability. Exit 0 when it is
/// linearizable, 1 when it is not (with the operations that cannot be ordered), 2 on bad input
/// (with the line and the reason), 4 when the search budget ran out before a verdict. Messages
/// name the file as it was given, folder included. <c>-o json</c> prints one JSON object.
/// </summary>
public static class CheckCommand
{
    /// <summary>Exit code when the checker could not decide within its budget.</summary>
    public const int Undecided = 4;

    /// <summary>The largest search budget per key: the search keeps what it has visited, so the budget sizes memory too.</summary>
    public const long MaxStepsPerKey = 1_000_000_000;

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
        OptionRules.Range(maxSteps, 1, MaxStepsPerKey);

        var command = new Command("check", "Check a recorded history for linearizability.") { file, format, maxSteps };
        var output = OutputOption.Create(command);
        command.SetAction(parse => Run(console, parse.GetValue(file)!, parse.GetValue(format)!, parse.GetValue(maxSteps), parse.IsJson(output)));
        return command;
    }

    private static int Run(IAnsiConsole console, FileInfo file, string format, long maxSteps, bool json)
    {
        // FileInfo.ToString() is the path as typed: "runs/3/history.jsonl", not just "history.jsonl".
        var given = file.ToString();
        if (Directory.Exists(file.FullName)) throw CliException.BadInput($"{given}: is a directory, not a history file");
        if (!file.Exists) throw CliException.BadInput($"{given}: no such file");
        var text = File.ReadAllText(file.FullName);
        var (history, model, kind, detected) = Load(text, given, format);

        var result = LinearizabilityChecker.Check(history, model, CheckOptions.Default with { MaxStepsPerKey = maxSteps });
        var keys = result.Keys.Length;
        var exitCode = result.Verdict switch
        {
            Verdict.Linearizable => ExitCodes.Ok,
            Verdict.NotLinearizable => ExitCodes.Failed,
            _ => Undecided,
        };
        if (json)
        {
            JsonLines.Write(console, new
            {
                file = given,
                format = detected,
                model = kind,
                verdict = JsonName(result.Verdict),
                operations = history.Operations.Length,
                keys,
                steps = result.Steps,
                maxStepsPerKey = maxSteps,
                failingKey = result.FailingKey,
                explanation = result.Explanation,
            });
            return exitCode;
        }

        switch (result.Verdict)
        {
            case Verdict.Linearizable:
                console.MarkupLineInterpolated($"[green]linearizable[/]: {history.Operations.Length} operations on {keys} key(s) ({kind}), {result.Steps:N0} search steps");
                break;
            case Verdict.NotLinearizable:
                console.MarkupLineInterpolated($"[red]not linearizable[/]: key {result.FailingKey ?? "?"} ({kind})");
                console.WriteLine(result.Explanation);
                break;
            default:
                console.MarkupLineInterpolated($"[yellow]undecided[/]: the search budget ({maxSteps:N0} steps per key) ran out; retry with a larger --max-steps");
                console.WriteLine(result.Explanation);
                break;
        }
        return exitCode;
    }

    /// <summary>A verdict as the JSON of <c>check</c> and <c>test</c> spells it: <c>linearizable</c>, <c>notLinearizable</c> or <c>undecided</c>.</summary>
    public static string JsonName(Verdict verdict) => verdict switch
    {
        Verdict.Linearizable => "linearizable",
        Verdict.NotLinearizable => "notLinearizable",
        _ => "undecided",
    };

    private static (History History, IModel Model, string Kind, string Format) Load(string text, string fileName, string format)
    {
        var detected = format == "auto" ? Detect(text) : format;
        try
        {
            return detected switch
            {
                "json" => (HistoryJson.Parse(text, fileName), KeyValueModel.Instance, "key-value", detected),
                "edn" => (EdnKeyValueLog.Parse(text, fileName), KeyValueModel.Instance, "key-value", detected),
                "jepsen" => (JepsenEtcdLog.Parse(text, fileName), CasRegisterModel.Instance, "cas register", detected),
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
