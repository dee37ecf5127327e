using System.Reflection;
using System.Text.RegularExpressions;

namespace OrleansNodes.Protocols.Tests.Examples;

/// <summary>The protocol authors' guide quotes this folder; every quote must still be the code that runs.</summary>
public partial class GuideTests
{
    private static readonly string Root =
        typeof(GuideTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    [Fact]
    public void Guide_EveryCSharpBlock_IsQuotedVerbatimFromTheExamples()
    {
        var guide = File.ReadAllText(Path.Combine(Root, "docs", "authoring-protocols.md"));
        var sources = Directory.GetFiles(Path.Combine(Root, "tests", "OrleansNodes.Protocols.Tests", "Examples"), "*.cs")
            .Select(path => Normalize(File.ReadAllText(path)))
            .ToList();

        var blocks = CSharpBlock().Matches(guide).Select(m => m.Groups[1].Value).ToList();

        Assert.True(blocks.Count >= 6, $"expected the guide to quote the example, found {blocks.Count} C# blocks");
        foreach (var block in blocks)
            Assert.True(sources.Any(source => source.Contains(Normalize(block))), $"this block of docs/authoring-protocols.md is not in the examples:\n{block}");
    }

    /// <summary>Compares code ignoring indentation, which quoting changes.</summary>
    private static string Normalize(string code) =>
        string.Join('\n', code.Replace("\r", "").Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0));

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
