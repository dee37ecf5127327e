using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace OrleansNodes.Client;

/// <summary>
/// Words a command line's first problem for a person: an unknown command or option with the
/// nearest known one ("unknown command 'simm'; did you mean 'sim'?"), a value of the wrong type
/// in plain words ("--steps expects a whole number, got 'abc'", never a .NET type name), a
/// command group without its command, and otherwise System.CommandLine's own message on one line.
/// </summary>
public static class ParseErrors
{
    /// <summary>What to print: the message (without <c>error: </c>), and whether a usage line helps after it.</summary>
    public sealed record Description(string Message, bool ShowUsage);

    /// <summary>Describes the first problem of <paramref name="parse"/>, which has errors.</summary>
    public static Description Describe(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        if (parse.UnmatchedTokens.Count > 0) return Unmatched(parse.UnmatchedTokens[0], command);
        foreach (var error in parse.Errors)
        {
            if (WrongType(error) is { } message) return new Description(message, ShowUsage: false);
        }
        if (command.Action is null && command.Subcommands.Count > 0)
            return new Description($"'{Path(command)}' needs a command: {string.Join(", ", Visible(command.Subcommands).Select(c => c.Name))}", ShowUsage: true);
        return new Description(OneLine(parse.Errors[0].Message), ShowUsage: true);
    }

    /// <summary>Folds System.CommandLine's multi-line messages ("Must be one of:\n\t'a'\n\t'b'") into one line.</summary>
    public static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static Description Unmatched(string token, Command command)
    {
        if (token.StartsWith('-'))
        {
            var options = OptionsOf(command).SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal) || n.Length == 2);
            var hint = DidYouMean.Hint(token, options);
            return new Description($"unknown option '{token}' for '{Path(command)}'{hint}", ShowUsage: hint.Length == 0);
        }
        if (command.Subcommands.Count > 0)
        {
            var names = Visible(command.Subcommands).Select(c => c.Name).ToList();
            var hint = DidYouMean.Hint(token, names);
            return hint.Length > 0
                ? new Description($"unknown command '{token}'{hint}", ShowUsage: false)
                : new Description($"unknown command '{token}' for '{Path(command)}' (commands: {string.Join(", ", names)})", ShowUsage: true);
        }
        return new Description($"unexpected argument '{token}' for '{Path(command)}'", ShowUsage: true);
    }

    /// <summary>"--steps expects a whole number, got 'abc'" when <paramref name="error"/> is a value that does not convert to its option's number type.</summary>
    private static string? WrongType(ParseError error)
    {
        var (name, type, tokens) = error.SymbolResult switch
        {
            OptionResult o => (o.Option.Name, o.Option.ValueType, o.Tokens),
            ArgumentResult { Parent: OptionResult o } => (o.Option.Name, o.Option.ValueType, o.Tokens),
            ArgumentResult a => ($"<{a.Argument.Name}>", a.Argument.ValueType, a.Tokens),
            _ => (null, null, null),
        };
        if (name is null || type is null || tokens is null || Kind(type) is not { } kind) return null;
        foreach (var token in tokens)
        {
            if (Converts(token.Value, type)) continue;
            var integer = BigInteger.TryParse(token.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value);
            var range = !integer || kind != WholeNumber ? "" : value.Sign < 0 ? (Unsigned(type) ? "" : " (too small)") : " (too large)";
            return $"{name} expects {kind}, got '{token.Value}'{range}";
        }
        return null;
    }

    private const string WholeNumber = "a whole number";

    private static string? Kind(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(int) || t == typeof(long) || t == typeof(short)) return WholeNumber;
        if (t == typeof(uint) || t == typeof(ulong) || t == typeof(ushort)) return "a whole number of 0 or more";
        if (t == typeof(double) || t == typeof(float) || t == typeof(decimal)) return "a number";
        return null;
    }

    private static bool Unsigned(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(uint) || t == typeof(ulong) || t == typeof(ushort);
    }

    // The same conversions System.CommandLine makes (TryParse in the current culture, which is invariant here).
    private static bool Converts(string text, Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(int)) return int.TryParse(text, out _);
        if (t == typeof(long)) return long.TryParse(text, out _);
        if (t == typeof(short)) return short.TryParse(text, out _);
        if (t == typeof(uint)) return uint.TryParse(text, out _);
        if (t == typeof(ulong)) return ulong.TryParse(text, out _);
        if (t == typeof(ushort)) return ushort.TryParse(text, out _);
        if (t == typeof(double)) return double.TryParse(text, out _);
        if (t == typeof(float)) return float.TryParse(text, out _);
        return t != typeof(decimal) || decimal.TryParse(text, out _);
    }

    private static IEnumerable<Option> OptionsOf(Command command)
    {
        var own = command.Options.Where(o => !o.Hidden);
        var inherited = command.Parents.OfType<Command>().SelectMany(OptionsOf).Where(o => o.Recursive);
        return own.Concat(inherited);
    }

    private static IEnumerable<Command> Visible(IEnumerable<Command> commands) => commands.Where(c => !c.Hidden);

    /// <summary>The command as typed: <c>orleansnodes cluster</c>.</summary>
    public static string Path(Command command)
    {
        var names = new List<string>();
        for (Symbol? s = command; s is Command c; s = c.Parents.FirstOrDefault())
            names.Insert(0, s is RootCommand ? "orleansnodes" : c.Name);
        return string.Join(' ', names);
    }
}
