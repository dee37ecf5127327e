using System.Text.RegularExpressions;

namespace OrleansNodes.Infra.Tests;

/// <summary>No credential is written into any file under infra/: they come from Secrets, env files or secure parameters.</summary>
public sealed partial class SecretScanTests
{
    [Fact]
    public void InfraFiles_ContainNoLiteralCredentials()
    {
        var files = Directory.EnumerateFiles(Repository.Path("infra"), "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => Path.GetFileName(f) is not ("package-lock.json" or ".env"))
            .ToList();

        var found = files
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(Repository.Root, f), Line: i + 1, Text: line)))
            .Where(l => Credential().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        Assert.True(files.Count > 10, $"only {files.Count} files found under infra/");
        Assert.Empty(found);
    }

    [Theory]
    [InlineData("redis:6379,password=hunter2")]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abc==")]
    [InlineData("BlobEndpoint=https://x;SharedAccessSignature=sv=2020")]
    [InlineData("  ORLEANSNODES__REDIS__CONNECTIONSTRING: \"redis:6379, password = s3cret\"")]
    public void Credential_InAConnectionString_IsRecognised(string line) => Assert.Matches(Credential(), line);

    [Theory]
    [InlineData("# e.g. \"myredis.example.net:6380,ssl=true,password=<PASSWORD>\"")]
    [InlineData("ORLEANSNODES__REDIS__CONNECTIONSTRING=redis:6379,password=$(REDIS_PASSWORD)")]
    [InlineData("ORLEANSNODES__DASHBOARD__PASSWORD=change-me")]
    public void Credential_PlaceholderOrVariableName_IsNotReported(string line) => Assert.DoesNotMatch(Credential(), line);

    // Connection-string credentials with a value that is not a placeholder (<...>, $(...), ${...}).
    [GeneratedRegex(@"([;,]\s*password\s*=|AccountKey\s*=|SharedAccessSignature\s*=)\s*(?!<|\$[({]|\.\.\.)\S", RegexOptions.IgnoreCase)]
    private static partial Regex Credential();
}
