using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace OrleansNodes.Infra.Tests;

/// <summary>
/// The images' definitions (no Docker engine here, so they are read, not built) and the two
/// scripts the silo image runs, executed for real with bash.
/// </summary>
public sealed partial class DockerfileTests
{
    /// <summary>The .NET images' unprivileged "app" user (APP_UID), which Kubernetes must run as.</summary>
    public const int ImageUserId = 1654;

    public static TheoryData<string, string> Images => new()
    {
        { "silo.Dockerfile", "silo/OrleansNodes.Silo.csproj" },
        { "client.Dockerfile", "client/OrleansNodes.Client.csproj" },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void Dockerfile_RestoreLayer_CopiesEveryProjectTheAppReferences(string dockerfile, string project)
    {
        var text = Repository.Read("infra", "docker", dockerfile);
        var copied = CopyLine().Matches(text).Select(m => m.Groups[1].Value).ToHashSet();

        var needed = ReferencedProjects(project);

        Assert.Contains(project, needed);
        Assert.All(needed, path => Assert.True(copied.Contains(path), $"{dockerfile} does not COPY {path} before restoring"));
        Assert.All(copied, path => Assert.True(needed.Contains(path), $"{dockerfile} copies {path}, which {project} does not reference"));
        Assert.Contains($"RUN dotnet restore {project}", text);
        Assert.Contains($"RUN dotnet publish {project} -c Release", text);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Dockerfile_FinalStage_RunsAsTheImagesUnprivilegedUser(string dockerfile, string project)
    {
        var text = Repository.Read("infra", "docker", dockerfile);
        var finalStage = text[text.LastIndexOf("\nFROM ", StringComparison.Ordinal)..];

        Assert.Contains("USER $APP_UID", finalStage);
        Assert.Matches(project.StartsWith("silo", StringComparison.Ordinal) ? @"FROM mcr\.microsoft\.com/dotnet/aspnet:" : @"FROM mcr\.microsoft\.com/dotnet/runtime:", finalStage);
        Assert.Matches(@"(?m)^FROM mcr\.microsoft\.com/dotnet/sdk:\$\{DOTNET_VERSION\} AS build$", text);
    }

    [Fact]
    public void SiloDockerfile_Exposes_TheSiloPortsAndChecksLiveness()
    {
        var text = Repository.Read("infra", "docker", "silo.Dockerfile");
        var defaults = new Silo.HostSettings();
        var url = Regex.Match(text, @"ORLEANSNODES__URL=(\S+)").Groups[1].Value;
        var settings = SiloContract.Bind([KeyValuePair.Create("ORLEANSNODES__URL", url)]);

        Assert.Contains($"EXPOSE {defaults.SiloPort} {defaults.GatewayPort} {SiloContract.HttpPort(settings)}", text);
        Assert.Equal("0.0.0.0", new Uri(settings.Url).Host);
        Assert.Matches(@"HEALTHCHECK .*CMD \[""/usr/local/bin/silo-healthcheck\.sh""\]", text);
        Assert.Contains(SiloContract.LivePath, Repository.Read("infra", "docker", "silo-healthcheck.sh"));
        Assert.Contains("ENTRYPOINT [\"/usr/local/bin/silo-entrypoint.sh\", \"dotnet\", \"/app/orleansnodes-silo.dll\"]", text);
    }

    [Fact]
    public void SiloDockerfile_EnvironmentDefaults_AreHostSettings()
    {
        var text = Repository.Read("infra", "docker", "silo.Dockerfile");
        var variables = Regex.Matches(text, @"(?m)^(?:ENV|\s)\s*(ORLEANSNODES__\w+)=(\S+)").Select(m => KeyValuePair.Create(m.Groups[1].Value, m.Groups[2].Value)).ToList();

        Assert.Equal(["ORLEANSNODES__DATAPATH", "ORLEANSNODES__URL"], variables.Select(v => v.Key).Order());
        Assert.All(variables, v => Assert.Null(SiloContract.BindProblem(v.Key, v.Value)));
        // The embedded default must be able to write its SQLite file as the image's user.
        Assert.StartsWith("/home/app/", SiloContract.Bind(variables).DataPath);
    }

    [Fact]
    public void DockerIgnore_BuildContext_LeavesOutBuildOutputAndLocalData()
    {
        var lines = Repository.Read(".dockerignore").Split('\n').Select(l => l.Trim()).ToHashSet();

        Assert.Superset(new HashSet<string> { "**/bin/", "**/obj/", "artifacts/", "data/", "**/node_modules/", ".env" }, lines);
    }

    [Fact]
    public void Healthcheck_LiveEndpointAnswers200_IsHealthy()
    {
        var (result, request) = RunHealthcheck("HTTP/1.1 200 OK");

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.StartsWith($"GET {SiloContract.LivePath} HTTP/1.1\r\n", request);
    }

    [Fact]
    public void Healthcheck_LiveEndpointAnswers503_IsUnhealthy()
    {
        var (result, _) = RunHealthcheck("HTTP/1.1 503 Service Unavailable");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("answered 'HTTP/1.1 503 Service Unavailable'", result.Error);
    }

    [Fact]
    public void Healthcheck_NothingListening_IsUnhealthy()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var result = ProcessRunner.Run("bash", [Script("silo-healthcheck.sh")], environment: new Dictionary<string, string?> { ["ORLEANSNODES__URL"] = $"http://0.0.0.0:{port}" });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"nothing listens on 127.0.0.1:{port}", result.Error);
    }

    [Fact]
    public void Entrypoint_ClusteredProfileWithoutAddress_AdvertisesTheAddressItsHostNameResolvesTo()
    {
        // A numeric host name resolves to itself without any lookup, standing in for the
        // container's /etc/hosts entry.
        var result = RunEntrypoint(new() { ["ORLEANSNODES__STORAGE"] = "redis", ["HOSTNAME"] = "10.11.12.13" });

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Equal("10.11.12.13", result.Output.Trim());
    }

    [Fact]
    public void Entrypoint_HostNameOnlyOnLoopback_RefusesToStart()
    {
        var result = RunEntrypoint(new() { ["ORLEANSNODES__STORAGE"] = "azure", ["HOSTNAME"] = "localhost" });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("set ORLEANSNODES__ADVERTISEDADDRESS", result.Error);
        Assert.Empty(result.Output);
    }

    [Theory]
    [InlineData("redis", "false", "10.0.0.9", "10.0.0.9")] // given explicitly (Azure Container Apps): kept
    [InlineData("redis", "true", null, "")] // Kubernetes: the pod IP comes from POD_IP
    [InlineData("embedded", "false", null, "")] // one silo on loopback
    [InlineData(null, null, null, "")] // the image's default profile is embedded
    public void Entrypoint_AddressGivenOrNotNeeded_LeavesItAlone(string? storage, string? kubernetes, string? address, string expected)
    {
        var result = RunEntrypoint(new()
        {
            ["ORLEANSNODES__STORAGE"] = storage,
            ["ORLEANSNODES__KUBERNETES"] = kubernetes,
            ["ORLEANSNODES__ADVERTISEDADDRESS"] = address,
            ["HOSTNAME"] = "10.99.99.99",
        });

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Equal(expected, result.Output.Trim());
    }

    private static string Script(string name) => Repository.Path("infra", "docker", name);

    // The entrypoint execs its arguments: here a shell that prints what the silo would see.
    private static ProcessResult RunEntrypoint(Dictionary<string, string?> environment) =>
        ProcessRunner.Run("bash", [Script("silo-entrypoint.sh"), "bash", "-c", "printf '%s' \"${ORLEANSNODES__ADVERTISEDADDRESS:-}\""], environment: environment);

    // Serves one HTTP response on loopback and runs the health check against it.
    private static (ProcessResult Result, string Request) RunHealthcheck(string statusLine)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            using var stream = client.GetStream();
            var buffer = new byte[4096];
            var request = new StringBuilder();
            while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer);
                if (read == 0) break;
                request.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"{statusLine}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
            return request.ToString();
        });

        var result = ProcessRunner.Run("bash", [Script("silo-healthcheck.sh")], environment: new Dictionary<string, string?> { ["ORLEANSNODES__URL"] = $"http://0.0.0.0:{port}" });
        Assert.True(server.Wait(TimeSpan.FromSeconds(30)), "the health check never connected");
        return (result, server.Result);
    }

    // The project and every project it references, transitively, as repository-relative paths.
    private static HashSet<string> ReferencedProjects(string project)
    {
        var found = new HashSet<string>();
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var path))
        {
            if (!found.Add(path)) continue;
            var directory = Path.GetDirectoryName(path)!;
            foreach (var reference in XDocument.Load(Repository.Path(path)).Descendants("ProjectReference"))
            {
                var include = reference.Attribute("Include")!.Value.Replace('\\', '/');
                pending.Push(Path.GetRelativePath(Repository.Root, Path.GetFullPath(Path.Combine(Repository.Root, directory, include))).Replace('\\', '/'));
            }
        }
        return found;
    }

    [GeneratedRegex(@"(?m)^COPY (\S+\.csproj) \S+/$")]
    private static partial Regex CopyLine();
}
