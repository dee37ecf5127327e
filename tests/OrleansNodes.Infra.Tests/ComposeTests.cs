using System.Text.Json.Nodes;
using OrleansNodes.Silo;

namespace OrleansNodes.Infra.Tests;

/// <summary>
/// infra/docker/compose.yaml, read as YAML: this machine's docker client has no compose plugin
/// and no engine, so `docker compose config` cannot check it; these tests check what matters
/// to the silo instead.
/// </summary>
public sealed class ComposeTests
{
    private static readonly string[] Silos = ["silo1", "silo2", "silo3"];

    private static readonly Lazy<JsonObject> Compose = new(() => Yaml.Document(Repository.Read("infra", "docker", "compose.yaml")));

    private static JsonObject Service(string name) => Compose.Value["services"]![name]!.AsObject();

    private static Dictionary<string, string> Environment(string service) =>
        Service(service)["environment"]!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!);

    // The variables .env.example documents, as .env would provide them.
    private static Dictionary<string, string> EnvFileExample() =>
        Repository.Read("infra", "docker", ".env.example").Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);

    [Fact]
    public void Silos_EveryOrleansNodesVariable_NamesAHostSettingsProperty()
    {
        var variables = Silos.SelectMany(Environment).Concat(EnvFileExample()).ToList();

        Assert.Contains(variables, v => v.Key.StartsWith(SiloContract.Prefix, StringComparison.Ordinal));
        Assert.All(variables, v => Assert.Null(SiloContract.BindProblem(v.Key, v.Value)));
    }

    [Fact]
    public void Silos_WithTheEnvFile_AreStartableRedisSilosOnTheComposeRedis()
    {
        foreach (var silo in Silos)
        {
            var settings = SiloContract.Bind(Environment(silo).Concat(EnvFileExample()));

            Assert.Empty(settings.Problems());
            Assert.Equal(StorageProfiles.Redis, settings.Storage);
            // The connection string names the redis service (compose's DNS name for it).
            Assert.Equal("redis:6379", settings.Redis.ConnectionString);
            Assert.NotNull(Compose.Value["services"]!["redis"]);
            // Left to the entrypoint, which finds the container's IP (a host name would not do).
            Assert.Equal("", settings.AdvertisedAddress);
            Assert.False(settings.Kubernetes);
        }
    }

    [Fact]
    public void Silos_DashboardCredentials_ComeFromAnUncommittedEnvFile()
    {
        foreach (var silo in Silos)
        {
            var envFile = Service(silo)["env_file"]!.AsArray().Single()!;
            Assert.Equal((".env", "true"), ((string)envFile["path"]!, (string)envFile["required"]!));
            Assert.DoesNotContain(Environment(silo).Keys, k => k.Contains("PASSWORD", StringComparison.Ordinal));
        }
        Assert.Contains(".env", Repository.Read("infra", "docker", ".gitignore").Split('\n'));
        Assert.Equal(["ORLEANSNODES__DASHBOARD__PASSWORD", "ORLEANSNODES__DASHBOARD__USERNAME"], EnvFileExample().Keys.Order());
    }

    [Fact]
    public void Silos_PublishedPorts_AreDistinctAndMapToTheSiloPorts()
    {
        var settings = SiloContract.Bind(Environment("silo1"));
        var published = new List<string>();
        foreach (var silo in Silos)
        {
            var ports = Service(silo)["ports"]!.AsArray().Select(p => ((string)p!).Split(':')).ToList();
            Assert.Equal([settings.GatewayPort.ToString(), SiloContract.HttpPort(settings).ToString()], ports.Select(p => p[1]).Order());
            published.AddRange(ports.Select(p => p[0]));
        }

        Assert.Equal(published.Count, published.Distinct().Count());
    }

    [Fact]
    public void Redis_AppendOnlyFile_IsFsyncedOnEveryWriteAndKeptOnAVolume()
    {
        var redis = Service("redis");
        var command = redis["command"]!.AsArray().Select(a => (string)a!).ToList();

        Assert.Equal("yes", command[command.IndexOf("--appendonly") + 1]);
        Assert.Equal("always", command[command.IndexOf("--appendfsync") + 1]);
        Assert.Equal("256mb", command[command.IndexOf("--auto-aof-rewrite-min-size") + 1]);
        var volume = ((string)redis["volumes"]!.AsArray().Single()!).Split(':');
        Assert.Equal("/data", volume[1]);
        Assert.True(Compose.Value["volumes"]!.AsObject().ContainsKey(volume[0]), $"volume {volume[0]} is not declared");
        Assert.Null(redis["ports"]);
    }

    [Fact]
    public void Client_IsOnlyStartedWithItsProfileAndTalksToEverySilo()
    {
        var client = Service("client");

        Assert.Equal(["client"], client["profiles"]!.AsArray().Select(p => (string)p!));
        var command = client["command"]!.AsArray().Select(a => (string)a!).ToList();
        var gateways = command[command.IndexOf("--gateway") + 1].Split(',');
        Assert.Equal(Silos.Select(s => $"{s}:{new HostSettings().GatewayPort}"), gateways);
        Assert.Equal("infra/docker/client.Dockerfile", (string)client["build"]!["dockerfile"]!);
        Assert.All(Silos, s => Assert.Equal("infra/docker/silo.Dockerfile", (string)Service(s)["build"]!["dockerfile"]!));
    }
}
