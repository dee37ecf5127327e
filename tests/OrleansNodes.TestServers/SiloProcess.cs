using System.Net;
using System.Net.Http.Headers;

namespace OrleansNodes.TestServers;

/// <summary>
/// A real silo (the built <c>orleansnodes-silo.dll</c>) as a child process on free loopback
/// ports: silo, gateway and HTTP. It can be killed with SIGKILL, stopped with SIGTERM, and
/// restarted with the same ports, data folder and settings.
/// </summary>
public sealed class SiloProcess : IDisposable
{
    private static readonly TimeSpan StartupBound = TimeSpan.FromSeconds(90);
    private readonly string[] _arguments;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly bool _ownsData;
    private ChildProcess? _process;

    /// <summary>
    /// A silo with these extra settings (e.g. <c>--storage redis --redis 127.0.0.1:6390</c>), on
    /// fresh ports; <c>--data</c> is a fresh temp folder unless given.
    /// </summary>
    public SiloProcess(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
        : this(_ => arguments, environment)
    {
    }

    /// <summary>
    /// A silo whose extra settings depend on its ports (e.g. <c>--url http://0.0.0.0:PORT</c>):
    /// <paramref name="arguments"/> sees <see cref="Url"/> and the ports already chosen. The extra
    /// settings come after the defaults, so they win.
    /// </summary>
    public SiloProcess(Func<SiloProcess, IEnumerable<string>> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var ports = FreePorts.Take(3);
        SiloPort = ports[0];
        GatewayPort = ports[1];
        Url = new Uri($"http://127.0.0.1:{ports[2]}/");
        var given = arguments(this).ToArray();
        _ownsData = !given.Contains("--data");
        DataPath = _ownsData ? Directory.CreateTempSubdirectory("orleansnodes-silo-").FullName : given[Array.IndexOf(given, "--data") + 1];
        _arguments =
        [
            "--data", DataPath, "--url", Url.ToString().TrimEnd('/'),
            "--silo-port", SiloPort.ToString(), "--gateway-port", GatewayPort.ToString(), "--tick-ms", "20",
            .. RemoveData(given),
        ];
        _environment = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            ["Logging__LogLevel__Default"] = "Warning",
        };
    }

    /// <summary>Orleans silo-to-silo port.</summary>
    public int SiloPort { get; }

    /// <summary>Orleans client gateway port.</summary>
    public int GatewayPort { get; }

    /// <summary>The gateway as the console's <c>--gateway</c> takes it.</summary>
    public string Gateway => $"127.0.0.1:{GatewayPort}";

    /// <summary>The HTTP root (dashboard, status, health).</summary>
    public Uri Url { get; }

    /// <summary>The data folder (embedded profile).</summary>
    public string DataPath { get; }

    /// <summary>Whether the process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The current process, for its output and exit code.</summary>
    public ChildProcess Process => _process ?? throw new InvalidOperationException("the silo was not started");

    /// <summary>
    /// A started silo with <paramref name="arguments"/>, on other free ports when the chosen ones
    /// were taken meanwhile (another test process may pick the same free port at the same time).
    /// </summary>
    public static async Task<SiloProcess> StartOnFreePortsAsync(string[] arguments, int attempts = 3)
    {
        for (var attempt = 1; ; attempt++)
        {
            var silo = new SiloProcess(arguments);
            try
            {
                await silo.StartAsync();
                return silo;
            }
            catch (InvalidOperationException e) when (attempt < attempts && e.Message.Contains("in use", StringComparison.Ordinal))
            {
                silo.Dispose();
            }
        }
    }

    /// <summary>
    /// Starts the process and waits until <paramref name="readyPath"/> answers 200 (default: the
    /// default cluster's status), sending <paramref name="authorization"/> when the silo's HTTP
    /// endpoints require credentials.
    /// </summary>
    public async Task StartAsync(string readyPath = "status/kv", AuthenticationHeaderValue? authorization = null)
    {
        if (IsRunning) throw new InvalidOperationException("the silo is already running");
        _process?.Dispose();
        _process = ChildProcess.StartDotnet(Repository.Built("silo", "orleansnodes-silo"), _arguments, _environment);
        try
        {
            await WaitUntilAsync(readyPath, StartupBound, authorization);
        }
        catch
        {
            _process.Kill();
            throw;
        }
    }

    /// <summary>
    /// Runs the built silo with exactly <paramref name="arguments"/>, expecting it to refuse to
    /// start: its exit code and what it wrote to standard error. Killed and reported if it still
    /// runs after the startup bound.
    /// </summary>
    public static async Task<(int ExitCode, string Error)> RunToExitAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = ChildProcess.StartDotnet(Repository.Built("silo", "orleansnodes-silo"), arguments, environment);
        var exitCode = await process.WaitForExitAsync(StartupBound);
        return (exitCode, process.Errors());
    }

    /// <summary>Starts the process without waiting, for tests of startup failures.</summary>
    public ChildProcess StartDetached()
    {
        _process?.Dispose();
        _process = ChildProcess.StartDotnet(Repository.Built("silo", "orleansnodes-silo"), _arguments, _environment);
        return _process;
    }

    /// <summary>SIGKILL: the silo dies mid-whatever, as when its machine does.</summary>
    public void Kill() => _process?.Kill();

    /// <summary>SIGSTOP: the silo freezes with its connections open (a long GC pause, a stalled VM).</summary>
    public Task PauseAsync() => Process.PauseAsync();

    /// <summary>SIGCONT after <see cref="PauseAsync"/>.</summary>
    public Task ResumeAsync() => Process.ResumeAsync();

    /// <summary>SIGTERM and a clean shutdown; null when it had to be killed.</summary>
    public Task<int?> StopAsync() => _process?.StopAsync(TimeSpan.FromSeconds(30)) ?? Task.FromResult<int?>(null);

    /// <summary>Waits until <paramref name="path"/> answers 200, failing early if the process ends.</summary>
    public async Task WaitUntilAsync(string path, TimeSpan bound, AuthenticationHeaderValue? authorization = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Authorization = authorization;
        var deadline = DateTime.UtcNow + bound;
        HttpStatusCode? lastStatus = null;
        while (DateTime.UtcNow < deadline)
        {
            if (Process.HasExited) throw new InvalidOperationException($"the silo exited with code {Process.ExitCode}:\n{Process.Tail()}");
            try
            {
                using var response = await http.GetAsync(new Uri(Url, path));
                if (response.StatusCode == HttpStatusCode.OK) return;
                lastStatus = response.StatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"the silo did not serve /{path} within {bound.TotalSeconds:0} s (last status {lastStatus?.ToString() ?? "none"}):\n{Process.Tail()}");
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _process?.Dispose();
        // Only the folder this silo made: a --data folder given is the caller's to keep or delete.
        if (_ownsData) TempFolder.TryDelete(DataPath);
    }

    private static IEnumerable<string> RemoveData(string[] arguments)
    {
        for (var i = 0; i < arguments.Length; i++)
        {
            if (arguments[i] == "--data") i++;
            else yield return arguments[i];
        }
    }
}
