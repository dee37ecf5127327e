using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace OrleansNodes.Simulation.Linearizability;

/// <summary>
/// Reads and writes the <c>orleansnodes-history/1</c> format (docs/history-format.md): JSON
/// Lines, a header object on the first line and then one operation per line, e.g.
/// <c>{"client":3,"op":"put","key":"k","value":"v","invoke":12,"complete":15,"result":"ok"}</c>.
/// One operation per line makes files greppable and appendable, and lets every error name its
/// line.
/// </summary>
public static class HistoryJson
{
    /// <summary>The value of the header's <c>format</c> field.</summary>
    public const string Format = "orleansnodes-history/1";

    private static readonly HashSet<string> _operationFields =
        ["id", "client", "op", "key", "value", "expected", "invoke", "complete", "result", "read"];

    /// <summary>String escaping for histories and explanations: only what JSON requires, so values stay readable.</summary>
    internal static JsonSerializerOptions StringOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Reads the history file at <paramref name="path"/>.</summary>
    /// <exception cref="HistoryFormatException">The file is not a valid history; the message names the line.</exception>
    public static History Load(string path) => Parse(File.ReadAllText(path), Path.GetFileName(path));

    /// <summary>Parses <paramref name="text"/>; <paramref name="fileName"/> is only used in error messages.</summary>
    /// <exception cref="HistoryFormatException">The text is not a valid history; the message names the line.</exception>
    public static History Parse(string text, string fileName = "history.jsonl")
    {
        ArgumentNullException.ThrowIfNull(text);
        var operations = new List<Operation>();
        var ids = new Dictionary<int, int>();
        IReadOnlyDictionary<string, string?>? initial = null;
        var headerSeen = false;
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var reader = new LineReader(fileName, lineNumber, line);
            if (!headerSeen)
            {
                initial = reader.ReadHeader();
                headerSeen = true;
                continue;
            }
            var operation = reader.ReadOperation(operations.Count);
            if (ids.TryGetValue(operation.Id, out var firstLine))
                throw new HistoryFormatException(fileName, lineNumber, $"operation id {operation.Id} was already used on line {firstLine}");
            ids[operation.Id] = lineNumber;
            operations.Add(operation);
        }
        if (!headerSeen)
            throw new HistoryFormatException(fileName, Math.Max(1, lineNumber), $"no header line {{\"format\":\"{Format}\"}}");
        return new History(operations, initial);
    }

    /// <summary>Writes <paramref name="history"/> in the format <see cref="Parse"/> reads.</summary>
    public static string Write(History history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var text = new StringBuilder();
        text.Append("{\"format\":\"").Append(Format).Append('"');
        if (history.Initial.Count > 0)
        {
            text.Append(",\"initial\":{");
            var first = true;
            foreach (var (key, value) in history.Initial.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                if (!first) text.Append(',');
                first = false;
                text.Append(Json(key)).Append(':').Append(Json(value));
            }
            text.Append('}');
        }
        text.Append("}\n");
        foreach (var operation in history.Operations)
            text.Append(WriteOperation(operation)).Append('\n');
        return text.ToString();
    }

    /// <summary>Writes <paramref name="history"/> to <paramref name="path"/>.</summary>
    public static void Save(History history, string path) => File.WriteAllText(path, Write(history));

    private static string WriteOperation(Operation operation)
    {
        var command = operation.Command;
        var text = new StringBuilder();
        text.Append("{\"id\":").Append(operation.Id.ToString(CultureInfo.InvariantCulture));
        text.Append(",\"client\":").Append(operation.Client.Value.ToString(CultureInfo.InvariantCulture));
        text.Append(",\"op\":\"").Append(command.Verb).Append('"');
        text.Append(",\"key\":").Append(Json(command.Key));
        if (command.Kind == OperationKind.Cas) text.Append(",\"expected\":").Append(Json(command.Expected));
        if (command.Value is not null) text.Append(",\"value\":").Append(Json(command.Value));
        text.Append(",\"invoke\":").Append(operation.Invoke.ToString(CultureInfo.InvariantCulture));
        text.Append(",\"complete\":").Append(operation.Complete is { } complete ? complete.ToString(CultureInfo.InvariantCulture) : "null");
        text.Append(",\"result\":\"").Append(operation.Result.Outcome switch
        {
            Outcome.Ok => "ok",
            Outcome.Failed => "failed",
            _ => "unknown",
        }).Append('"');
        if (command.Kind == OperationKind.Get && operation.Result.Outcome == Outcome.Ok)
            text.Append(",\"read\":").Append(Json(operation.Result.ReadValue));
        return text.Append('}').ToString();
    }

    private static string Json(string? value) => value is null ? "null" : JsonSerializer.Serialize(value, StringOptions);

    /// <summary>Reads one line, turning every problem into a <see cref="HistoryFormatException"/> for that line.</summary>
    private readonly struct LineReader(string fileName, int lineNumber, string line)
    {
        /// <summary>Reads the header; returns the keys' initial values it gives, if any.</summary>
        public IReadOnlyDictionary<string, string?>? ReadHeader()
        {
            var root = ParseObject("the header");
            if (!root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String)
                throw Error($"the first line must be the header {{\"format\":\"{Format}\"}}");
            if (format.GetString() != Format)
                throw Error($"unsupported format {Command.Quote(format.GetString())} (expected {Command.Quote(Format)})");
            Dictionary<string, string?>? initial = null;
            foreach (var property in root.EnumerateObject())
            {
                if (property.Name == "format") continue;
                if (property.Name != "initial") throw Error($"the header has unknown field {Command.Quote(property.Name)}");
                if (property.Value.ValueKind != JsonValueKind.Object) throw Error("the header's 'initial' must be an object of key: value (a string, or null for absent)");
                initial = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var key in property.Value.EnumerateObject())
                {
                    initial[key.Name] = key.Value.ValueKind switch
                    {
                        JsonValueKind.String => key.Value.GetString(),
                        JsonValueKind.Null => null,
                        _ => throw Error($"the initial value of key {Command.Quote(key.Name)} must be a string or null"),
                    };
                }
            }
            return initial;
        }

        public Operation ReadOperation(int ordinal)
        {
            var root = ParseObject("an operation");
            var id = root.TryGetProperty("id", out var idElement) ? Int(idElement, "id", ordinal) : ordinal;
            foreach (var property in root.EnumerateObject())
            {
                if (!_operationFields.Contains(property.Name))
                    throw Error($"operation {id} has unknown field {Command.Quote(property.Name)}");
            }

            var client = new ClientId(Long(Required(root, "client", id), "client", id));
            var kind = Required(root, "op", id).GetString() switch
            {
                "get" => OperationKind.Get,
                "put" => OperationKind.Put,
                "delete" => OperationKind.Delete,
                "cas" => OperationKind.Cas,
                "append" => OperationKind.Append,
                var other => throw Error($"operation {id} has unknown op {Command.Quote(other)} (expected get, put, delete, cas or append)"),
            };
            var key = String(Required(root, "key", id), "key", id) ?? throw Error($"operation {id} has a null key");
            var value = root.TryGetProperty("value", out var valueElement) ? String(valueElement, "value", id) : null;
            string? expected = null;
            if (kind == OperationKind.Cas)
                expected = String(Required(root, "expected", id), "expected", id);
            else if (root.TryGetProperty("expected", out _))
                throw Error($"operation {id} is a {Verb(kind)} but has an expected value (only cas has)");
            var command = new Command(kind, key, value, expected);

            var invoke = Long(Required(root, "invoke", id), "invoke", id);
            long? complete = root.TryGetProperty("complete", out var completeElement) && completeElement.ValueKind != JsonValueKind.Null
                ? Long(completeElement, "complete", id)
                : null;
            var outcome = Required(root, "result", id).GetString() switch
            {
                "ok" => Outcome.Ok,
                "failed" => Outcome.Failed,
                "unknown" => Outcome.Unknown,
                var other => throw Error($"operation {id} has unknown result {Command.Quote(other)} (expected ok, failed or unknown)"),
            };
            string? read = null;
            var hasRead = root.TryGetProperty("read", out var readElement);
            if (kind == OperationKind.Get && outcome == Outcome.Ok)
                read = hasRead ? String(readElement, "read", id) : throw Error($"operation {id} is a get with result ok but has no \"read\" (null if the key was absent)");
            else if (hasRead)
                throw Error($"operation {id} has \"read\" but is not a get that completed");

            var operation = new Operation(id, client, command, invoke, complete, new OperationResult(outcome, read));
            if (operation.Problem() is { } problem) throw Error($"operation {id} {problem}");
            return operation;
        }

        private JsonElement ParseObject(string what)
        {
            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(line);
                root = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw Error($"invalid JSON at column {(e.BytePositionInLine ?? 0) + 1}: expected {what} as one JSON object per line");
            }
            if (root.ValueKind != JsonValueKind.Object) throw Error($"expected {what} as a JSON object, found {root.ValueKind}");
            return root;
        }

        private JsonElement Required(JsonElement root, string field, int id) =>
            root.TryGetProperty(field, out var element) ? element : throw Error($"operation {id} has no \"{field}\"");

        private long Long(JsonElement element, string field, int id) =>
            element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var value)
                ? value
                : throw Error($"operation {id} has \"{field}\" {element.GetRawText()}, expected an integer");

        private int Int(JsonElement element, string field, int id) =>
            element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var value) && value >= 0
                ? value
                : throw Error($"operation {id} has \"{field}\" {element.GetRawText()}, expected a non-negative integer");

        private string? String(JsonElement element, string field, int id) => element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Null => null,
            _ => throw Error($"operation {id} has \"{field}\" {element.GetRawText()}, expected a string or null"),
        };

        private static string Verb(OperationKind kind) => new Command(kind, "").Verb;

        private HistoryFormatException Error(string reason) => new(fileName, lineNumber, reason);
    }
}
