using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansNodes.Simulation;

/// <summary>
/// A replayable run: the protocol, the cluster, the seed (node seeds and the workload's derive
/// from it), the options, and every decision in order. Saved as JSON with one decision per line,
/// so a person can read, edit and diff it.
/// </summary>
public sealed record Schedule
{
    /// <summary>The first format: no workload, the random model. Still written when neither is needed, so older readers load it.</summary>
    private const string FormatTag = "orleansnodes-schedule/1";

    /// <summary>Adds <c>workload</c> and <c>model</c>; older readers refuse it rather than replay without the clients.</summary>
    private const string FormatTag2 = "orleansnodes-schedule/2";

    /// <summary>
    /// A node that takes no tick in a round under skew says so (<c>rest</c>), and a <c>round</c>
    /// gives every other node up all round its tick (<see cref="NamedRests"/>). Written only for
    /// runs with skew, the one case where the two readings differ; older readers refuse it.
    /// </summary>
    private const string FormatTag3 = "orleansnodes-schedule/3";

    /// <summary>
    /// Adds to <c>/3</c> the delays a run drew, each a decision of its own (<c>delay n1->n0 #3 +2</c>),
    /// so that a message no <c>delay</c> names is due by the end of the round after its send
    /// (<see cref="NamedDelays"/>); and under skew a round owes every node two ticks, a node that
    /// took fewer saying <c>rest</c> (<see cref="FastClocks"/>). Written for random runs with
    /// <see cref="FaultKinds.Reorder"/> or <see cref="FaultKinds.Skew"/>; older readers refuse it.
    /// </summary>
    private const string FormatTag4 = "orleansnodes-schedule/4";

    private static readonly JsonSerializerOptions _json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The protocol's <see cref="Protocol{TSettings, TState, TMessage, TRequest, TReply}.Name"/>.</summary>
    public required string Protocol { get; init; }

    /// <summary>The run's seed.</summary>
    public required ulong Seed { get; init; }

    /// <summary>The run's options (they carry the node count and the liveness bound).</summary>
    public required SimulationOptions Options { get; init; }

    /// <summary>The decisions, in order.</summary>
    public required ImmutableArray<Decision> Decisions { get; init; }

    /// <summary>The property this schedule violates, if it was saved for a violation.</summary>
    public string? Property { get; init; }

    /// <summary>
    /// The protocol settings the run used, in their structural text form. A replay with other
    /// settings would replay a different protocol, so <c>Replay</c> refuses it.
    /// </summary>
    public string? Settings { get; init; }

    /// <summary>
    /// The run's clients (kind and parameters; their choices derive from <see cref="Seed"/>), or
    /// null when the run had none or its factory did not describe itself. A replay must drive the
    /// same clients: without their requests a key-value counterexample is a different run.
    /// </summary>
    public WorkloadSpec? Workload { get; init; }

    /// <summary>Which executions the replay admits: the random scheduler's (default) or an explorer's.</summary>
    public ScheduleModel Model { get; init; } = ScheduleModel.Random;

    /// <summary>
    /// Whether a node's silent round is a decision of its own (<c>rest n1</c>), so that a
    /// <c>round</c> owes every node up all round without one a tick: true for schedules written
    /// now, false for those loaded from formats <c>/1</c> and <c>/2</c>, in which a round owes a
    /// node a tick only when the model forbids its silence (they name every tick, so it rarely matters).
    /// </summary>
    public bool NamedRests { get; init; } = true;

    /// <summary>
    /// Whether the delays the run drew are decisions of their own (<c>delay</c>), so that a
    /// <c>round</c> owes every message sent before it that no <c>delay</c> holds back: true for
    /// schedules written now, false for those loaded from formats <c>/1</c> to <c>/3</c>, in which
    /// a round owes a message only once the bound of <see cref="SimulationOptions.MaxDelayRounds"/>
    /// has run out (they name every delivery, so it matters only for what shrinking deleted).
    /// </summary>
    public bool NamedDelays { get; init; } = true;

    /// <summary>
    /// Whether under skew a <c>round</c> owes every node up all round the two ticks the model
    /// allows, a node that took fewer saying <c>rest</c>: true for schedules written now unless
    /// shrinking found a shorter one in the one-tick reading (<c>"clocks": "nominal"</c> in the
    /// file), false for those loaded from formats <c>/1</c> to <c>/3</c>, in which a round owes one
    /// tick and a skewed node's second tick is named.
    /// </summary>
    public bool FastClocks { get; init; } = true;

    /// <summary>How a replay reads this schedule's rounds (<see cref="NamedRests"/>, <see cref="NamedDelays"/>, <see cref="FastClocks"/>).</summary>
    public ScheduleReading Reading
    {
        get => new(NamedRests, NamedDelays, FastClocks);
        init => (NamedRests, NamedDelays, FastClocks) = (value.NamedRests, value.NamedDelays, value.FastClocks);
    }

    /// <summary>Where the schedule was loaded from, for error messages.</summary>
    public string? Source { get; init; }

    /// <summary>Number of nodes.</summary>
    public int Nodes => Options.Nodes;

    /// <summary>Structural equality: the decisions are compared element by element, not by array reference.</summary>
    public bool Equals(Schedule? other) =>
        other is not null && Protocol == other.Protocol && Seed == other.Seed && Options == other.Options
        && Property == other.Property && Settings == other.Settings && Source == other.Source
        && Equals(Workload, other.Workload) && Model == other.Model && Reading == other.Reading
        && Decisions.AsSpan().SequenceEqual(other.Decisions.AsSpan());

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Protocol, Seed, Options, Decisions.Length);

    /// <summary>Writes the schedule to <paramref name="path"/>, creating its directory.</summary>
    public void Save(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        File.WriteAllText(path, ToJson());
    }

    /// <summary>The JSON text, one decision per line.</summary>
    public string ToJson()
    {
        var text = new StringBuilder();
        text.AppendLine("{");
        var random = Model == ScheduleModel.Random;
        var tag = NamedRests && NamedDelays && random && (Options.Faults & (FaultKinds.Reorder | FaultKinds.Skew)) != 0 ? FormatTag4
            : NamedRests && random && Options.Faults.HasFlag(FaultKinds.Skew) ? FormatTag3
            : Workload is null && random ? FormatTag : FormatTag2;
        text.Append("  \"format\": ").Append(JsonSerializer.Serialize(tag)).AppendLine(",");
        text.Append("  \"protocol\": ").Append(JsonSerializer.Serialize(Protocol)).AppendLine(",");
        text.Append("  \"seed\": ").Append(Seed).AppendLine(",");
        text.Append("  \"nodes\": ").Append(Nodes).AppendLine(",");
        if (Property is not null) text.Append("  \"property\": ").Append(JsonSerializer.Serialize(Property)).AppendLine(",");
        if (Settings is not null) text.Append("  \"settings\": ").Append(JsonSerializer.Serialize(Settings)).AppendLine(",");
        text.Append("  \"options\": ").Append(JsonSerializer.Serialize(Options, _json)).AppendLine(",");
        if (Workload is not null) text.Append("  \"workload\": ").Append(WorkloadJson(Workload)).AppendLine(",");
        if (Model != ScheduleModel.Random) text.Append("  \"model\": ").Append(JsonSerializer.Serialize(Model.ToString().ToLowerInvariant())).AppendLine(",");
        if (tag == FormatTag4 && !FastClocks && Options.Faults.HasFlag(FaultKinds.Skew)) text.AppendLine("  \"clocks\": \"nominal\",");
        text.AppendLine("  \"decisions\": [");
        for (var i = 0; i < Decisions.Length; i++)
        {
            text.Append("    \"").Append(Decisions[i].ToString()).Append('"');
            text.AppendLine(i + 1 < Decisions.Length ? "," : string.Empty);
        }

        text.AppendLine("  ]");
        text.AppendLine("}");
        return text.ToString();
    }

    /// <summary>Reads a schedule file; throws <see cref="ScheduleFormatException"/> with a one-line reason when it cannot.</summary>
    public static Schedule Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ScheduleFormatException($"{path}: cannot read: {e.Message}", e);
        }

        return Parse(text, path);
    }

    /// <summary>Parses schedule JSON; <paramref name="source"/> names it in error messages.</summary>
    public static Schedule Parse(string json, string source = "schedule")
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ScheduleFormatException($"{source}: line {(e.LineNumber ?? 0) + 1}: not valid JSON ({FirstLine(e.Message)})", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new ScheduleFormatException($"{source}: line 1: expected a JSON object");
            var format = Required(root, "format", JsonValueKind.String, source).GetString();
            if (format != FormatTag && format != FormatTag2 && format != FormatTag3 && format != FormatTag4)
                throw new ScheduleFormatException($"{source}: unsupported format '{format}' (expected '{FormatTag}', '{FormatTag2}', '{FormatTag3}' or '{FormatTag4}')");
            var protocol = Required(root, "protocol", JsonValueKind.String, source).GetString()!;
            if (!Required(root, "seed", JsonValueKind.Number, source).TryGetUInt64(out var seed))
                throw new ScheduleFormatException($"{source}: 'seed' must be a non-negative integer");
            var options = ParseOptions(Required(root, "options", JsonValueKind.Object, source), source);
            if (root.TryGetProperty("nodes", out var nodes) && (!nodes.TryGetInt32(out var count) || count != options.Nodes))
                throw new ScheduleFormatException($"{source}: 'nodes' ({nodes.GetRawText()}) does not match options.nodes ({options.Nodes})");
            var property = root.TryGetProperty("property", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            var settings = root.TryGetProperty("settings", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            var workload = root.TryGetProperty("workload", out var w) ? ParseWorkload(w, source) : null;
            var model = root.TryGetProperty("model", out var m) ? ParseModel(m, source) : ScheduleModel.Random;
            var nominalClocks = root.TryGetProperty("clocks", out var c) && ParseClocks(c, source);
            var decisionsElement = Required(root, "decisions", JsonValueKind.Array, source);
            var lines = DecisionLines(json);
            var decisions = ImmutableArray.CreateBuilder<Decision>(decisionsElement.GetArrayLength());
            var index = 0;
            foreach (var element in decisionsElement.EnumerateArray())
            {
                var line = index < lines.Count ? lines[index] : 0;
                if (element.ValueKind != JsonValueKind.String)
                    throw new ScheduleFormatException($"{source}: line {line}: decision {index} is not a string");
                try
                {
                    decisions.Add(Decision.Parse(element.GetString()!));
                }
                catch (FormatException e)
                {
                    throw new ScheduleFormatException($"{source}: line {line}: {e.Message}", e);
                }

                index++;
            }

            return new Schedule
            {
                Protocol = protocol,
                Seed = seed,
                Options = options,
                Property = property,
                Settings = settings,
                Workload = workload,
                Model = model,
                NamedRests = format == FormatTag3 || format == FormatTag4 || !options.Faults.HasFlag(FaultKinds.Skew),
                NamedDelays = format == FormatTag4 || !options.Faults.HasFlag(FaultKinds.Reorder),
                FastClocks = format == FormatTag4 ? !nominalClocks : !options.Faults.HasFlag(FaultKinds.Skew),
                Decisions = decisions.MoveToImmutable(),
                Source = source,
            };
        }
    }

    /// <summary><c>{"kind": "kv-clients", "clients": 3, …}</c>: integers as numbers, anything else as strings.</summary>
    private static string WorkloadJson(WorkloadSpec workload)
    {
        var text = new StringBuilder("{ \"kind\": ").Append(JsonSerializer.Serialize(workload.Kind));
        foreach (var (name, value) in workload.Parameters)
        {
            text.Append(", ").Append(JsonSerializer.Serialize(name)).Append(": ");
            var isInteger = long.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number)
                && number.ToString(System.Globalization.CultureInfo.InvariantCulture) == value;
            text.Append(isInteger ? value : JsonSerializer.Serialize(value));
        }

        return text.Append(" }").ToString();
    }

    private static WorkloadSpec ParseWorkload(JsonElement element, string source)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new ScheduleFormatException($"{source}: 'workload' must be an object");
        var kind = Required(element, "kind", JsonValueKind.String, source).GetString()!;
        var parameters = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name == "kind") continue;
            parameters[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString()!,
                JsonValueKind.Number when property.Value.TryGetInt64(out _) => property.Value.GetRawText(),
                _ => throw new ScheduleFormatException($"{source}: workload parameter '{property.Name}' must be a string or an integer"),
            };
        }

        return new WorkloadSpec(kind, parameters.ToImmutable());
    }

    /// <summary><c>"clocks"</c> (format <c>/4</c>): <c>"fast"</c>, the default, or <c>"nominal"</c> (a round owes one tick under skew); true for nominal.</summary>
    private static bool ParseClocks(JsonElement element, string source) =>
        element.ValueKind == JsonValueKind.String && element.GetString() is "fast" or "nominal"
            ? element.GetString() == "nominal"
            : throw new ScheduleFormatException($"{source}: 'clocks' must be \"fast\" or \"nominal\"");

    private static ScheduleModel ParseModel(JsonElement element, string source) =>
        element.ValueKind == JsonValueKind.String && Enum.TryParse<ScheduleModel>(element.GetString(), ignoreCase: true, out var model) && Enum.IsDefined(model)
            ? model
            : throw new ScheduleFormatException($"{source}: 'model' must be \"random\" or \"explored\", not {element.GetRawText()}");

    private static SimulationOptions ParseOptions(JsonElement element, string source)
    {
        SimulationOptions? options;
        try
        {
            options = element.Deserialize<SimulationOptions>(_json);
        }
        catch (JsonException e)
        {
            throw new ScheduleFormatException($"{source}: bad 'options': {FirstLine(e.Message)}", e);
        }

        if (options is null) throw new ScheduleFormatException($"{source}: 'options' is null");
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ScheduleFormatException($"{source}: bad 'options': {e.Message.Split(" (Parameter", 2)[0]}", e);
        }

        return options;
    }

    private static JsonElement Required(JsonElement root, string name, JsonValueKind kind, string source)
    {
        if (!root.TryGetProperty(name, out var value)) throw new ScheduleFormatException($"{source}: missing '{name}'");
        if (value.ValueKind != kind) throw new ScheduleFormatException($"{source}: '{name}' must be {kind.ToString().ToLowerInvariant()}, not {value.ValueKind.ToString().ToLowerInvariant()}");
        return value;
    }

    /// <summary>The 1-based line of every element of the top-level <c>decisions</c> array, for error messages.</summary>
    private static List<int> DecisionLines(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes);
        var lines = new List<int>();
        var inDecisions = false;
        var line = 1;
        var scanned = 0L;
        while (reader.Read())
        {
            for (; scanned < reader.TokenStartIndex; scanned++)
                if (bytes[scanned] == (byte)'\n') line++;
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
                inDecisions = reader.ValueTextEquals("decisions"u8);
            else if (inDecisions && reader.CurrentDepth == 2)
            {
                lines.Add(line);
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
            }
            else if (inDecisions && reader.TokenType == JsonTokenType.EndArray && reader.CurrentDepth == 1)
                inDecisions = false;
        }

        return lines;
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
