using System.Globalization;
using System.Text;

namespace OrleansNodes.Simulation.Linearizability;

/// <summary>
/// Reads a Jepsen key-value log (the format of Porcupine's kv test data): one EDN map per line,
/// <c>{:process 0, :type :invoke, :f :append, :key "4", :value "x 0 1 y"}</c>, in real-time
/// order. <c>:f</c> is <c>:get</c>, <c>:put</c> or <c>:append</c>; a get's <c>:ok</c> carries the
/// value read. Positions are line numbers. Check the result with <see cref="KeyValueModel"/>
/// (a missing key reads as <c>""</c>, as in these logs).
/// </summary>
public static class EdnKeyValueLog
{
    /// <summary>Reads the log at <paramref name="path"/>.</summary>
    /// <exception cref="HistoryFormatException">A line cannot be understood.</exception>
    public static History Load(string path) => Parse(File.ReadAllText(path), Path.GetFileName(path));

    /// <summary>
    /// Parses <paramref name="text"/>. <c>:fail</c> means the operation did not happen;
    /// <c>:info</c> and operations still open at the end have unknown outcomes.
    /// </summary>
    /// <exception cref="HistoryFormatException">A line cannot be understood; the message names the line.</exception>
    public static History Parse(string text, string fileName = "kv.edn")
    {
        ArgumentNullException.ThrowIfNull(text);
        var events = new JepsenEvents();
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            HistoryFormatException Error(string reason) => new(fileName, lineNumber, reason);
            var map = EdnMap.Parse(line, Error);
            string Field(string name) => map.TryGetValue(name, out var found) ? found.Text ?? "nil" : throw Error($"missing :{name}");
            var processText = Field("process");
            if (!long.TryParse(processText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var process))
                throw Error($":process {processText} is not an integer");
            var (type, f, key) = (Field("type"), Field("f"), map.TryGetValue("key", out var k) ? k.Text : null);
            var value = map.TryGetValue("value", out var v) ? v.Text : null;
            if (key is null) throw Error("missing :key");

            if (type == ":invoke")
            {
                var command = f switch
                {
                    ":get" => Command.Get(key),
                    ":put" => Command.Put(key, value ?? throw Error(":put needs a :value")),
                    ":append" => Command.Append(key, value ?? throw Error(":append needs a :value")),
                    _ => throw Error($"unknown :f {f} (expected :get, :put or :append)"),
                };
                events.Invoke(process, command, lineNumber, Error);
                continue;
            }

            var (index, invoked) = events.Complete(process, Error);
            if (f != ":" + invoked.Command.Verb)
                throw Error($"process {process} completes {f} but invoked :{invoked.Command.Verb} on line {invoked.Invoke}");
            events.Resolve(index, type switch
            {
                ":ok" when invoked.Command.Kind == OperationKind.Get => invoked with { Complete = lineNumber, Result = OperationResult.Read(value) },
                ":ok" => invoked with { Complete = lineNumber, Result = OperationResult.Ok },
                ":fail" => null,   // did not happen
                ":info" => invoked, // indeterminate
                _ => throw Error($"unknown :type {type} (expected :invoke, :ok, :fail or :info)"),
            });
        }
        return events.ToHistory();
    }

    /// <summary>
    /// Just enough EDN for these logs: one flat map whose keys are keywords and whose values are
    /// keywords, integers, strings or nil. Commas are whitespace, as in EDN.
    /// </summary>
    private static class EdnMap
    {
        public readonly record struct Value(string? Text);

        public static Dictionary<string, Value> Parse(string line, Func<string, HistoryFormatException> error)
        {
            var map = new Dictionary<string, Value>(StringComparer.Ordinal);
            var at = SkipBlank(line, 0);
            if (at >= line.Length || line[at] != '{') throw error("expected an EDN map {...}");
            at++;
            while (true)
            {
                at = SkipBlank(line, at);
                if (at >= line.Length) throw error("the map is not closed with }");
                if (line[at] == '}') break;
                if (line[at] != ':') throw error($"expected a keyword at column {at + 1}");
                var (name, afterName) = Token(line, at + 1);
                at = SkipBlank(line, afterName);
                if (at >= line.Length) throw error($"keyword :{name} has no value");
                Value value;
                if (line[at] == '"')
                    (value, at) = ReadString(line, at, error);
                else
                {
                    var (token, afterToken) = Token(line, at);
                    if (token.Length == 0) throw error($"unexpected {line[at]} at column {at + 1}");
                    value = new Value(token == "nil" ? null : token);
                    at = afterToken;
                }
                if (!map.TryAdd(name, value)) throw error($"keyword :{name} appears twice");
            }
            if (SkipBlank(line, at + 1) < line.Length) throw error($"unexpected text after the map at column {at + 2}");
            return map;
        }

        private static int SkipBlank(string line, int at)
        {
            while (at < line.Length && (char.IsWhiteSpace(line[at]) || line[at] == ',')) at++;
            return at;
        }

        private static (string Token, int End) Token(string line, int at)
        {
            var start = at;
            while (at < line.Length && !char.IsWhiteSpace(line[at]) && line[at] is not (',' or '}' or '"')) at++;
            return (line[start..at], at);
        }

        private static (Value Value, int End) ReadString(string line, int at, Func<string, HistoryFormatException> error)
        {
            var text = new StringBuilder();
            for (at++; at < line.Length; at++)
            {
                var c = line[at];
                if (c == '"') return (new Value(text.ToString()), at + 1);
                if (c != '\\') { text.Append(c); continue; }
                if (++at >= line.Length) break;
                text.Append(line[at] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', var other => other });
            }
            throw error("a string is not closed");
        }
    }
}
