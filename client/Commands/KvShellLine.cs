using System.Text;
using OrleansNodes.Protocols.KeyValue;

namespace OrleansNodes.Client.Commands;

/// <summary>
/// One line of <c>kv shell</c>: the words of the one-shot commands (<c>get KEY</c>, <c>put KEY
/// VALUE</c>, <c>delete KEY</c>, <c>append KEY SUFFIX</c>, <c>cas KEY EXPECTED NEW</c>, <c>cas KEY
/// NEW --expect-absent</c>), split as a shell would: on spaces, with double quotes around a word
/// that holds spaces or is empty, and <c>\"</c> and <c>\\</c> inside them.
/// </summary>
public static class KvShellLine
{
    /// <summary>What a line asks for: a request, nothing (blank or a <c>#</c> comment), or the end.</summary>
    public abstract record Parsed
    {
        /// <summary>A request to send.</summary>
        public sealed record Request(KeyValueCommand Command) : Parsed;

        /// <summary>A blank line or a comment.</summary>
        public sealed record Nothing : Parsed;

        /// <summary><c>exit</c> or <c>quit</c>.</summary>
        public sealed record End : Parsed;
    }

    /// <summary>The commands a line may start with, for messages.</summary>
    public const string Verbs = "get, put, delete, append, cas, exit";

    /// <summary>Parses <paramref name="line"/>; throws a <see cref="CliException"/> (bad input) naming what is wrong.</summary>
    public static Parsed Parse(string line)
    {
        var words = Split(line);
        if (words.Count == 0 || words[0].StartsWith('#')) return new Parsed.Nothing();
        var verb = words[0];
        var args = words.GetRange(1, words.Count - 1);
        return verb switch
        {
            "exit" or "quit" when args.Count == 0 => new Parsed.End(),
            "get" => new Parsed.Request(new KeyValueCommand.Get(Exactly(verb, args, "KEY")[0])),
            "put" => Request(Exactly(verb, args, "KEY", "VALUE"), a => new KeyValueCommand.Put(a[0], a[1])),
            "delete" => new Parsed.Request(new KeyValueCommand.Delete(Exactly(verb, args, "KEY")[0])),
            "append" => Request(Exactly(verb, args, "KEY", "SUFFIX"), a => new KeyValueCommand.Append(a[0], a[1])),
            "cas" => new Parsed.Request(Cas(args)),
            _ => throw CliException.BadInput($"unknown command '{verb}' (commands: {Verbs})"),
        };
    }

    private static Parsed Request(List<string> args, Func<List<string>, KeyValueCommand> make) => new Parsed.Request(make(args));

    private static KeyValueCommand Cas(List<string> args)
    {
        var absent = args.Remove("--expect-absent");
        if (absent)
        {
            var given = Exactly("cas --expect-absent", args, "KEY", "NEW");
            return new KeyValueCommand.Cas(given[0], null, given[1]);
        }
        var words = Exactly("cas", args, "KEY", "EXPECTED", "NEW");
        return new KeyValueCommand.Cas(words[0], words[1], words[2]);
    }

    private static List<string> Exactly(string verb, List<string> args, params string[] names)
    {
        if (args.Count == names.Length) return args;
        var quoting = args.Count > names.Length ? "; quote a word with spaces: \"a b\"" : "";
        throw CliException.BadInput($"{verb} takes {string.Join(" ", names)} ({names.Length} word{(names.Length == 1 ? "" : "s")}), not {args.Count}{quoting}");
    }

    /// <summary>The words of <paramref name="line"/>; throws on a quote left open or an unknown escape.</summary>
    public static List<string> Split(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '"')
            {
                inWord = true;
                for (i++; ; i++)
                {
                    if (i == line.Length) throw CliException.BadInput("a quote is not closed");
                    if (line[i] == '"') break;
                    if (line[i] == '\\')
                    {
                        if (i + 1 == line.Length || line[i + 1] is not ('"' or '\\'))
                            throw CliException.BadInput("inside quotes, a backslash comes before \" or \\ only");
                        i++;
                    }
                    word.Append(line[i]);
                }
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }
        if (inWord) words.Add(word.ToString());
        return words;
    }
}
