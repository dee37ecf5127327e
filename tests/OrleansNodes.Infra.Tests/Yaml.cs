using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace OrleansNodes.Infra.Tests;

/// <summary>
/// YAML documents as JSON nodes, which are easier to walk. Every YAML scalar becomes a JSON
/// string (YAML's own typing is left to the schema validator): compare with strings.
/// </summary>
internal static class Yaml
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder().Build();
    private static readonly ISerializer Json = new SerializerBuilder().JsonCompatible().Build();

    public static IReadOnlyList<JsonObject> Documents(string text)
    {
        // MergingParser resolves "<<: *anchor" merge keys (compose.yaml's x-silo).
        var parser = new MergingParser(new Parser(new StringReader(text)));
        parser.Consume<StreamStart>();
        var documents = new List<JsonObject>();
        while (parser.Accept<DocumentStart>(out _))
        {
            var value = Deserializer.Deserialize<object?>(parser);
            if (value is null) continue;
            documents.Add(JsonNode.Parse(Json.Serialize(value))!.AsObject());
        }
        return documents;
    }

    public static JsonObject Document(string text) => Documents(text).Single();
}
