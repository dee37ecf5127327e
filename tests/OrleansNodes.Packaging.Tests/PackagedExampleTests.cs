using System.IO.Compression;
using System.Xml.Linq;
using Microsoft.Data.Sqlite;
using OrleansNodes.TestServers;
using Xunit.Abstractions;

namespace OrleansNodes.Packaging.Tests;

/// <summary>
/// Slow (about 20 s alone on two cores, over a minute beside the other test assemblies, most of it
/// in the shared <see cref="PackagedExample"/>): the packages a protocol author gets, the guide's
/// example built and tested against them outside this repository, its silo running the protocol
/// from them, and the console installed as a .NET tool.
/// Filter them out locally with <c>--filter Category!=Slow</c>.
/// </summary>
[Trait("Category", "Slow")]
public sealed class PackagedExampleTests(PackagedExample packaged, ITestOutputHelper output) : IClassFixture<PackagedExample>
{
    private static readonly string[] Libraries =
    [
        "OrleansNodes.Core", "OrleansNodes.Protocols", "OrleansNodes.Simulation", "OrleansNodes.Workloads",
        "OrleansNodes.Hosting", "OrleansNodes.Storage.Redis", "OrleansNodes.Storage.Azure",
    ];

    [Fact]
    public void Pack_Solution_EveryLibraryWithSymbolsAndTheConsoleToolWithTheirMetadata()
    {
        foreach (var step in new[] { packaged.Pack, packaged.Build, packaged.ToolInstall })
            output.WriteLine($"{step.Elapsed.TotalSeconds,5:0.0} s  {step.Command}");
        Assert.DoesNotContain(": warning ", packaged.Pack.Output, StringComparison.OrdinalIgnoreCase);
        var produced = Directory.GetFiles(packaged.Packages).Select(path => Path.GetFileName(path)).Order().ToList();
        var expected = Libraries.SelectMany(id => new[] { $"{id}.{packaged.Version}.nupkg", $"{id}.{packaged.Version}.snupkg" })
            .Append($"OrleansNodes.Console.{packaged.Version}.nupkg")
            .Order().ToList();
        Assert.Equal(expected, produced);

        foreach (var id in Libraries.Append("OrleansNodes.Console"))
        {
            using var package = ZipFile.OpenRead(Path.Combine(packaged.Packages, $"{id}.{packaged.Version}.nupkg"));
            var nuspec = XDocument.Load(package.GetEntry($"{id}.nuspec")!.Open());
            string Field(string name) => nuspec.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value ?? "";
            Assert.Equal(packaged.Version, Field("version"));
            Assert.Equal("MIT", Field("license"));
            Assert.Equal("README.md", Field("readme"));
            Assert.StartsWith("https://", Field("projectUrl"));
            Assert.NotEmpty(Field("description"));
            Assert.NotEmpty(Field("authors"));
            Assert.Contains(nuspec.Descendants(), e => e.Name.LocalName == "repository" && ((string?)e.Attribute("url"))?.StartsWith("https://", StringComparison.Ordinal) == true);
            Assert.StartsWith($"# {id}", new StreamReader(package.GetEntry("README.md")!.Open()).ReadToEnd());
            Assert.NotNull(package.GetEntry("LICENSE"));
            if (id == "OrleansNodes.Console")
            {
                Assert.Contains(nuspec.Descendants(), e => e.Name.LocalName == "packageType" && (string?)e.Attribute("name") == "DotnetTool");
            }
            else
            {
                Assert.NotNull(package.GetEntry($"lib/net10.0/{id}.dll"));
                Assert.NotNull(package.GetEntry($"lib/net10.0/{id}.xml"));
            }
        }
    }

    [Fact]
    public void Example_BuiltFromThePackagesOutsideTheRepository_PassesItsTests()
    {
        Assert.Contains(" 0 Warning(s)", packaged.Build.Output);
        // The example's tests compiled against the packed Simulation, not a project of this repository.
        var dependencies = File.ReadAllText(packaged.Built("MaxGossip.Tests", "MaxGossip.Tests.deps.json"));
        Assert.Contains($"\"OrleansNodes.Simulation/{packaged.Version}\"", dependencies);

        var test = DotnetCommand.Dotnet(packaged.Example, packaged.Environment, TimeSpan.FromMinutes(3), "test", "MaxGossip.slnx", "-c", "Release", "--no-build");

        Assert.True(test.ExitCode == 0, test.Describe());
        Assert.Contains("Passed!", test.Output);
    }

    [Fact]
    public void ConsoleTool_Installed_PrintsItsVersionAndSimulates()
    {
        var version = packaged.Run("--version");
        // Three seeds are too few to reach every Paxos goal (exit 1); fifty reach them in a blink.
        var simulation = packaged.Run("sim", "paxos", "--seeds", "50");

        Assert.True(version.ExitCode == 0, version.Describe());
        Assert.StartsWith(PackagedExample.RepositoryVersion, version.Output.Trim());
        Assert.True(simulation.ExitCode == 0, simulation.Describe());
        Assert.Contains("50/50", simulation.Output);
    }

    [Fact]
    public async Task ExampleSilo_FromThePackages_RunsTheProtocol()
    {
        var (silo, gateway, database) = await StartSiloAsync();
        using var running = silo;

        // The installed console reaches the silo, which registered the author's protocol.
        var unknown = packaged.Run("cluster", "create", "other", "--protocol", "no-such-protocol", "--gateway", gateway);
        Assert.True(unknown.ExitCode == 2, unknown.Describe());
        Assert.Contains("registered: max-gossip", unknown.Output);

        // Max gossip converges on Orleans: every node's durable value becomes the largest, 20, which
        // takes gossip messages between grains (the example's generated codecs) and node storage.
        var states = await EventuallyAsync(() => NodeStateFile.HardStates(database, "gossip"),
            s => s.Count == 3 && s.Values.All(v => v is 20), TimeSpan.FromSeconds(30));
        Assert.True(states.Count == 3 && states.Values.All(v => v is 20), $"hard states: {string.Join(", ", states)}\n{silo.Tail()}");
        await silo.StopAsync(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task ExampleSilo_ConsoleStatus_ShowsEveryNodeWithTheLargestValue()
    {
        var (silo, gateway, _) = await StartSiloAsync();
        using var running = silo;

        var list = packaged.Run("cluster", "list", "--gateway", gateway);
        var status = await EventuallyAsync(() => packaged.Run("cluster", "status", "gossip", "--gateway", gateway),
            s => s.ExitCode == 0 && CountOf(s.Output, "Value = 20") == 3, TimeSpan.FromSeconds(30));
        var create = packaged.Run("cluster", "create", "wider", "--protocol", "max-gossip", "--nodes", "5", "--gateway", gateway);

        Assert.True(list.ExitCode == 0 && list.Output.Contains("max-gossip", StringComparison.Ordinal), list.Describe());
        Assert.True(status.ExitCode == 0 && CountOf(status.Output, "Value = 20") == 3, status.Describe());
        Assert.True(create.ExitCode == 0, create.Describe());
        await silo.StopAsync(TimeSpan.FromSeconds(15));
    }

    /// <summary>
    /// Starts the example's silo on free ports with a data folder of its own and waits until its
    /// cluster runs; a port taken between choosing and binding it means another try on others.
    /// </summary>
    private async Task<(ChildProcess Silo, string Gateway, string Database)> StartSiloAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var ports = FreePorts.Take(2);
            var data = Directory.CreateDirectory(Path.Combine(packaged.Root, "data-" + Guid.NewGuid().ToString("N")[..8])).FullName;
            var silo = ChildProcess.StartDotnet(packaged.Built("MaxGossip.Silo", "MaxGossip.Silo.dll"),
                ["--SiloPort", ports[0].ToString(), "--GatewayPort", ports[1].ToString(), "--Data", data]);
            try
            {
                await silo.WaitForOutputAsync("cluster gossip is running", TimeSpan.FromSeconds(90));
                return (silo, $"localhost:{ports[1]}", Path.Combine(data, "max-gossip.db"));
            }
            catch (InvalidOperationException) when (attempt < 3 && silo.Output().Contains("Address already in use", StringComparison.Ordinal))
            {
                silo.Dispose();
            }
            catch
            {
                silo.Dispose();
                throw;
            }
        }
    }

    /// <summary>Polls <paramref name="read"/> until <paramref name="done"/> holds or <paramref name="bound"/> passes; the last reading either way.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<T> read, Func<T, bool> done, TimeSpan bound)
    {
        var deadline = DateTime.UtcNow + bound;
        while (true)
        {
            T value;
            try
            {
                value = read();
            }
            catch (SqliteException) when (DateTime.UtcNow < deadline)
            {
                // The silo has not created its tables yet, or holds a write lock for a moment.
                await Task.Delay(100);
                continue;
            }
            if (done(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(100);
        }
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
