namespace OrleansNodes.TestServers;

/// <summary>
/// The Azure Storage emulator Azurite on loopback. Shared: the one <c>.ci/run</c> started, its
/// connection string in <c>ORLEANSNODES_TEST_AZURITE</c>. Owned: a private instance on free
/// ports with its own folder, from the npm package installed under <c>artifacts/tools</c> or
/// on PATH.
/// </summary>
public sealed class AzuriteServer : IAsyncLifetime
{
    /// <summary>Names the shared emulator's connection string.</summary>
    public const string SharedVariable = "ORLEANSNODES_TEST_AZURITE";

    /// <summary>What the skip message tells a person running the tests by hand.</summary>
    public const string HowToGetIt =
        "needs the Azurite storage emulator: run `bash .ci/services.sh start` (npm install azurite into artifacts/tools) and export the variables it prints; CI always runs these tests";

    // Azurite's documented development account; it guards nothing.
    private const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly TimeSpan StartupBound = TimeSpan.FromSeconds(60);
    private string _folder = "";
    private ChildProcess? _process;

    /// <summary>Whether Azurite can be had: a shared emulator is named, or the program is installed.</summary>
    public static bool IsAvailable =>
        Environment.GetEnvironmentVariable(SharedVariable) is { Length: > 0 } || Executable() is not null;

    /// <summary>The storage connection string.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(SharedVariable) is { Length: > 0 } shared)
        {
            ConnectionString = shared;
            await WaitForPortAsync(TablePort(shared));
            return;
        }
        var executable = Executable() ?? throw new InvalidOperationException(HowToGetIt);
        _folder = Directory.CreateTempSubdirectory("orleansnodes-azurite-").FullName;
        var ports = FreePorts.Take(3);
        ConnectionString = ConnectionStringFor(ports[0], ports[1], ports[2]);
        _process = ChildProcess.Start(executable,
        [
            "--silent", "--skipApiVersionCheck", "--loose", "--location", _folder,
            "--blobHost", "127.0.0.1", "--blobPort", ports[0].ToString(),
            "--queueHost", "127.0.0.1", "--queuePort", ports[1].ToString(),
            "--tableHost", "127.0.0.1", "--tablePort", ports[2].ToString(),
        ]);
        await WaitForPortAsync(ports[2]);
        await WaitForPortAsync(ports[0]);
    }

    /// <summary>The connection string for an emulator listening on loopback at these ports.</summary>
    public static string ConnectionStringFor(int blobPort, int queuePort, int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";

    /// <inheritdoc/>
    public Task DisposeAsync()
    {
        _process?.Dispose();
        TempFolder.TryDelete(_folder);
        return Task.CompletedTask;
    }

    private async Task WaitForPortAsync(int port)
    {
        var deadline = DateTime.UtcNow + StartupBound;
        while (DateTime.UtcNow < deadline)
        {
            if (_process is { HasExited: true }) throw new InvalidOperationException($"azurite exited with code {_process.ExitCode}:\n{_process.Tail()}");
            if (FreePorts.IsListening(port)) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Azurite did not listen on port {port} within {StartupBound.TotalSeconds:0} s. {HowToGetIt}");
    }

    private static int TablePort(string connectionString)
    {
        var endpoint = connectionString.Split(';').Select(p => p.Split('=', 2)).FirstOrDefault(p => p[0] == "TableEndpoint")?[1]
            ?? throw new InvalidOperationException($"{SharedVariable} has no TableEndpoint");
        return new Uri(endpoint).Port;
    }

    private static string? Executable() =>
        ExecutableLookup.Find("azurite", Path.Combine(Repository.Root, "artifacts", "tools", "node_modules", ".bin"));
}
