using System.Text.Encodings.Web;
using System.Text.Json;
using Spectre.Console;

namespace OrleansNodes.Client.Commands;

/// <summary>
/// How the console writes JSON (<c>-o json</c>): one object per line, camelCase names, every
/// field present (null when it does not apply), so a script can rely on a stable shape; text is
/// not escaped beyond what JSON requires (protocol descriptions keep their brackets and arrows).
/// </summary>
public static class JsonLines
{
    /// <summary>The serializer settings of every JSON line.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes <paramref name="value"/> as one line of JSON, bypassing Spectre's rendering.</summary>
    public static void Write(IAnsiConsole console, object value) =>
        console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(value, Options));
}
