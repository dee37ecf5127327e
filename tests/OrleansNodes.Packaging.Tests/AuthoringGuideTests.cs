using System.Text.RegularExpressions;
using System.Xml.Linq;
using OrleansNodes.TestServers;

namespace OrleansNodes.Packaging.Tests;

/// <summary>
/// docs/authoring-protocols.md quotes examples/MaxGossip, which <see cref="PackagedExampleTests"/>
/// builds and runs against the packages: every quote must still be the code that runs, every file
/// must be shown with all its usings, and the packages the guide says to add must be the ones the
/// example references.
/// </summary>
public sealed partial class AuthoringGuideTests
{
    private static readonly string Guide = File.ReadAllText(Path.Combine(Repository.Root, "docs", "authoring-protocols.md"));
    private static readonly string Example = Path.Combine(Repository.Root, "examples", "MaxGossip");

    [Fact]
    public void Guide_EveryCodeBlock_IsQuotedVerbatimFromTheExample()
    {
        var files = ExampleFiles("*").Select(path => Normalize(File.ReadAllText(path))).ToList();
        var blocks = CodeBlock().Matches(Guide).Select(m => (Language: m.Groups[1].Value, Code: m.Groups[2].Value)).ToList();

        Assert.True(blocks.Count(b => b.Language == "csharp") >= 10, $"expected the guide to quote the example, found {blocks.Count} blocks");
        foreach (var (language, code) in blocks)
            Assert.True(files.Any(file => file.Contains(Normalize(code), StringComparison.Ordinal)), $"this {language} block of docs/authoring-protocols.md is not in examples/MaxGossip:\n{code}");
    }

    [Fact]
    public void Guide_EverySourceFileOfTheExample_IsShownWithAllItsUsings()
    {
        var blocks = CodeBlock().Matches(Guide).Where(m => m.Groups[1].Value == "csharp").Select(m => Normalize(m.Groups[2].Value)).ToList();

        foreach (var path in ExampleFiles("*.cs"))
        {
            // The file's head: its usings, through the namespace line when it has one.
            var lines = Normalize(File.ReadAllText(path)).Split('\n');
            var end = Array.FindIndex(lines, line => line.StartsWith("namespace ", StringComparison.Ordinal));
            var head = string.Join('\n', end >= 0 ? lines[..(end + 1)] : lines.TakeWhile(line => line.StartsWith("using ", StringComparison.Ordinal)));
            Assert.True(blocks.Any(block => block.StartsWith(head, StringComparison.Ordinal)),
                $"no C# block of docs/authoring-protocols.md starts with the usings of {Path.GetRelativePath(Example, path)}:\n{head}");
        }
    }

    [Fact]
    public void Guide_EveryPackageTheExampleReferences_IsAddedInTheGuide()
    {
        var version = XDocument.Load(Path.Combine(Example, "Directory.Build.props")).Descendants("OrleansNodesVersion").Single().Value;
        var projects = ExampleFiles("*.csproj").ToList();

        Assert.Equal(3, projects.Count);
        foreach (var project in projects)
        {
            var name = Path.GetFileNameWithoutExtension(project);
            foreach (var reference in XDocument.Load(project).Descendants("PackageReference"))
            {
                var id = (string)reference.Attribute("Include")!;
                if (id is "Microsoft.NET.Test.Sdk" or "xunit" or "xunit.runner.visualstudio") continue; // what `dotnet new xunit` adds
                var added = $"dotnet add {name} package {id} --version {((string)reference.Attribute("Version")!).Replace("$(OrleansNodesVersion)", version, StringComparison.Ordinal)}";
                Assert.Contains(added, Guide);
            }
        }
    }

    [Fact]
    public void Example_Projects_ReferenceNothingOfTheRepository()
    {
        foreach (var project in ExampleFiles("*.csproj"))
        {
            foreach (var reference in XDocument.Load(project).Descendants("ProjectReference"))
            {
                var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, (string)reference.Attribute("Include")!));
                Assert.StartsWith(Example + Path.DirectorySeparatorChar, target);
            }
        }
        var props = XDocument.Load(Path.Combine(Example, "Directory.Build.props"));
        Assert.Equal("false", props.Descendants("ImportDirectoryPackagesProps").Single().Value);
        Assert.DoesNotContain(props.Descendants("Import"), _ => true);
    }

    private static IEnumerable<string> ExampleFiles(string pattern) =>
        Directory.EnumerateFiles(Example, pattern, SearchOption.AllDirectories)
            .Where(path => !Path.GetRelativePath(Example, path).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal);

    /// <summary>Compares code ignoring indentation and blank lines, which quoting changes.</summary>
    private static string Normalize(string code) =>
        string.Join('\n', code.Replace("\r", "", StringComparison.Ordinal).Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0));

    [GeneratedRegex(@"```(csharp|xml)\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();
}
