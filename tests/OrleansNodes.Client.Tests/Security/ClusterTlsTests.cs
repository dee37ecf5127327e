using System.Text.RegularExpressions;
using OrleansNodes.TestServers;
using ClusterSilo = OrleansNodes.TestServers.SiloProcess;

namespace OrleansNodes.Client.Tests.Security;

/// <summary>
/// Silo-to-silo TLS on the redis profile: two silos with certificates from one authority form
/// one cluster and serve the console through either gateway; a third silo without TLS is
/// refused by both, declared dead by the cluster, and stops without ever serving.
/// </summary>
public sealed partial class ClusterTlsTests : IAsyncLifetime
{
    private const int Active = 3;
    private const int Dead = 6;
    private readonly RedisServer _redis = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("orleansnodes-cluster-tls-").FullName;
    private readonly string _serviceId = $"t{Guid.NewGuid():N}"[..12];
    private readonly TestCertificateAuthority _authority;
    private readonly string _consoleCertificate;

    public ClusterTlsTests()
    {
        _authority = new TestCertificateAuthority(_folder, "cluster-ca");
        _consoleCertificate = _authority.IssuePfx("console", TlsSilo.Password);
        // The in-process console reads the password here; TlsSilo uses the same one.
        Environment.SetEnvironmentVariable(OrleansNodes.Client.Remote.RemoteOptions.TlsPasswordVariable, TlsSilo.Password);
    }

    public Task InitializeAsync() => _redis.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        _authority.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [RedisFact]
    public async Task TwoTlsSilos_FormOneCluster_AndASiloWithoutTlsCannotJoin()
    {
        using var first = TlsSiloOnRedis("silo-a");
        using var second = TlsSiloOnRedis("silo-b");
        await first.StartAsync();
        // Ready means an active member whose grain call was answered: joining already needed
        // TLS connections to the first silo.
        await second.StartAsync("healthz/ready");
        Assert.Equal(new[] { Active, Active }, await MemberStatusesAsync());

        var put = Console(second, "kv", "put", "over-tls", "both");
        Assert.True(put.ExitCode == ExitCodes.Ok, put.Error);
        var get = Console(first, "kv", "get", "over-tls");
        Assert.True(get.ExitCode == ExitCodes.Ok, get.Error);
        Assert.Equal("both", get.Output.Trim());

        using var plain = new ClusterSilo(["--storage", "redis", "--redis", _redis.ConnectionString, "--service-id", _serviceId]);
        var process = plain.StartDetached();
        // It writes itself into the table as joining, cannot reach the members (they refuse its
        // plain connections), is voted dead, and stops itself.
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromMinutes(3));
        Assert.NotEqual(0, exitCode);
        Assert.Equal(new[] { Active, Active, Dead }, (await MemberStatusesAsync()).Order());

        var after = Console(first, "kv", "get", "over-tls");
        Assert.True(after.ExitCode == ExitCodes.Ok, after.Error);
    }

    private ClusterSilo TlsSiloOnRedis(string name) => new(
        ["--storage", "redis", "--redis", _redis.ConnectionString, "--service-id", _serviceId,
         "--tls-certificate", _authority.IssuePfx(name, TlsSilo.Password), "--tls-ca", _authority.PemPath],
        new Dictionary<string, string> { ["ORLEANSNODES__TLS__CERTIFICATEPASSWORD"] = TlsSilo.Password });

    private ConsoleRun Console(ClusterSilo silo, params string[] args) =>
        ConsoleRun.Of([.. args, "--gateway", silo.Gateway, "--tls-certificate", _consoleCertificate, "--tls-ca", _authority.PemPath]);

    // The membership table the redis profile keeps: one hash field per silo, its status a number.
    private async Task<int[]> MemberStatusesAsync()
    {
        var table = await _redis.CommandAsync($"HGETALL {_serviceId}/members/orleansnodes");
        return [.. StatusField().Matches(table).Select(m => int.Parse(m.Groups[1].Value))];
    }

    [GeneratedRegex("\"Status\":(\\d)")]
    private static partial Regex StatusField();
}
