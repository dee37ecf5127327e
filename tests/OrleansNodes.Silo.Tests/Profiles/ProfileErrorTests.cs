using OrleansNodes.TestServers;

namespace OrleansNodes.Silo.Tests.Profiles;

/// <summary>
/// A silo that cannot use its storage says so in one <c>error:</c> line and exits: 2 for
/// settings that cannot work, 3 for a server that does not answer. Never a stack trace.
/// </summary>
public sealed class ProfileErrorTests
{
    private const string AzureVariable = "ORLEANSNODES__AZURESTORAGE__CONNECTIONSTRING";
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Start_UnknownStorage_ExitsTwoNamingTheProfiles()
    {
        var result = await RunSiloAsync(["--storage", "nosuch"]);

        AssertOneErrorLine(result, exitCode: 2, "'nosuch' is not one of embedded, redis, azure");
    }

    [Fact]
    public async Task Start_StopTimeoutBelowASecond_ExitsTwoNamingTheRange()
    {
        var result = await RunSiloAsync(["--stop-timeout-ms", "500"]);

        AssertOneErrorLine(result, exitCode: 2, "StopTimeoutMs 500 is outside 1000..600000");
    }

    [Fact]
    public async Task Start_RedisWithoutConnectionString_ExitsTwoNamingTheSetting()
    {
        var result = await RunSiloAsync(["--storage", "redis"]);

        AssertOneErrorLine(result, exitCode: 2, "needs Redis:ConnectionString");
    }

    [Fact]
    public async Task Start_RedisConnectionStringMalformed_ExitsTwo()
    {
        var result = await RunSiloAsync(["--storage", "redis", "--redis", "127.0.0.1:6379,nosuchoption=1"]);

        AssertOneErrorLine(result, exitCode: 2, "Redis:ConnectionString is malformed");
    }

    [Fact]
    public async Task Start_NothingListensAtRedisAddress_ExitsThreeNamingTheAddress()
    {
        var address = $"127.0.0.1:{FreePorts.Take(1)[0]}";

        var result = await RunSiloAsync(["--storage", "redis", "--redis", address]);

        AssertOneErrorLine(result, exitCode: 3, $"cannot reach Redis at {address}");
    }

    [Fact]
    public async Task Start_AzureConnectionStringMalformed_ExitsTwo()
    {
        var result = await RunSiloAsync(["--storage", "azure"], new() { [AzureVariable] = "this is not a connection string" });

        AssertOneErrorLine(result, exitCode: 2, "AzureStorage:ConnectionString is malformed");
    }

    [Fact]
    public async Task Start_AzureAccountNameMalformed_ExitsTwo()
    {
        var result = await RunSiloAsync(["--storage", "azure"], new() { ["ORLEANSNODES__AZURESTORAGE__ACCOUNTNAME"] = "Not An Account" });

        AssertOneErrorLine(result, exitCode: 2, "'Not An Account' is not a storage account name");
    }

    [Fact]
    public async Task Start_ServiceIdCannotNameBlobContainer_ExitsTwo()
    {
        var result = await RunSiloAsync(["--storage", "azure", "--service-id", "my_service"], new() { [AzureVariable] = "UseDevelopmentStorage=true" });

        AssertOneErrorLine(result, exitCode: 2, "ServiceId 'my_service' cannot name");
    }

    [Fact]
    public async Task Start_NothingListensAtAzureEndpoints_ExitsThreeNamingTheEndpoints()
    {
        var ports = FreePorts.Take(3);
        var connectionString = AzuriteServer.ConnectionStringFor(ports[0], ports[1], ports[2]);

        var result = await RunSiloAsync(["--storage", "azure"], new() { [AzureVariable] = connectionString });

        AssertOneErrorLine(result, exitCode: 3, $"cannot reach Azure Storage at http://127.0.0.1:{ports[2]}");
    }

    [Fact]
    public async Task Start_SiloPortInUse_ExitsTwoNamingThePort()
    {
        using var other = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        other.Start();
        var port = ((System.Net.IPEndPoint)other.LocalEndpoint).Port;

        var result = await RunSiloAsync(["--silo-port", port.ToString()]);

        AssertOneErrorLine(result, exitCode: 2, $"SiloPort {port} is already in use");
    }

    [Fact]
    public async Task Start_WebPortInUse_ExitsTwoNamingTheUrlBeforeOrleansStarts()
    {
        using var other = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        other.Start();
        var port = ((System.Net.IPEndPoint)other.LocalEndpoint).Port;
        var folder = Directory.CreateTempSubdirectory("orleansnodes-webport-").FullName;
        try
        {
            var result = await RunSiloAsync(["--url", $"http://127.0.0.1:{port}", "--data", folder]);

            AssertOneErrorLine(result, exitCode: 2, $"port {port} is already in use");
            // Refused before Orleans started: it never opened (or created) the data file.
            Assert.False(File.Exists(Path.Combine(folder, "orleansnodes.db")));
        }
        finally
        {
            TempFolder.TryDelete(folder);
        }
    }

    [Fact]
    public async Task Start_DataFileWrittenByVersion01_ExitsTwoSayingWhatToDo()
    {
        // OrleansNodes 0.1 kept each node as one grain-state record; read by this version those
        // nodes would look never started and the store empty, so the silo must refuse the file.
        var folder = Directory.CreateTempSubdirectory("orleansnodes-legacy-").FullName;
        try
        {
            var file = Path.Combine(folder, "orleansnodes.db");
            using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False"))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText =
                    "CREATE TABLE grain_state (state_name TEXT NOT NULL, grain_id TEXT NOT NULL, etag INTEGER NOT NULL, payload BLOB NOT NULL, PRIMARY KEY (state_name, grain_id));" +
                    "INSERT INTO grain_state VALUES ('node', 'nodegrain/kv/0', 7, x'00'), ('node', 'nodegrain/kv/1', 7, x'00'), ('clusters', 'clusterregistrygrain/all', 1, x'00');";
                command.ExecuteNonQuery();
            }
            var before = File.ReadAllBytes(file);

            var result = await RunSiloAsync(["--data", folder]);

            AssertOneErrorLine(result, exitCode: 2, "holds 2 node record(s) in the whole-state format of OrleansNodes 0.1");
            Assert.Contains("start with another --data folder", result.Output);
            Assert.Equal(before, File.ReadAllBytes(file));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TempFolder.TryDelete(folder);
        }
    }

    /// <summary>Runs a silo that is expected to give up, and returns its exit code and everything it printed.</summary>
    internal static async Task<(int ExitCode, string Output)> RunSiloAsync(string[] arguments, Dictionary<string, string>? environment = null)
    {
        using var silo = new SiloProcess(arguments, environment);
        var process = silo.StartDetached();
        var exitCode = await process.WaitForExitAsync(ExitBound);
        return (exitCode, process.Output());
    }

    /// <summary>Exactly one line, <c>error: …</c> containing <paramref name="fragment"/>, no stack frame, and the exit code.</summary>
    internal static void AssertOneErrorLine((int ExitCode, string Output) result, int exitCode, string fragment)
    {
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"expected one line, got {lines.Length}:\n{result.Output}");
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(fragment, lines[0]);
        Assert.DoesNotContain("   at ", result.Output);
        Assert.Equal(exitCode, result.ExitCode);
    }
}
