using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace OrleansNodes.Client.Tests;

/// <summary>
/// A real silo (the built <c>orleansnodes-silo.dll</c>) run as a child process on free ports
/// with a fresh data folder, shared by every end-to-end test of a class. Started once; killed
/// (with its process tree) on dispose and when it fails to come up. Subclasses add switches
/// and environment (<see cref="Configure"/>), e.g. TLS or dashboard credentials.
/// </summary>
public class SiloProcess : IAsyncLifetime
{
    private static readonly TimeSpan StartupBound = TimeSpan.FromSeconds(90);
    private readonly StringBuilder _log = new();
    private readonly string _dataPath = Path.Combine(Path.GetTempPath(), $"orleansnodes-client-tests-{Environment.ProcessId}-{Guid.NewGuid():N}");
    private Process? _process;

    /// <summary>The silo's client gateway, as <c>--gateway</c> takes it.</summary>
    public string Gateway { get; private set; } = "";

    /// <summary>The silo's HTTP root (dashboard and status).</summary>
    public Uri Url { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Runs the console against this silo.</summary>
    public ConsoleRun Run(params string[] args) => ConsoleRun.Of([.. args, "--gateway", Gateway]);

    /// <summary>The credentials the silo's HTTP endpoints require, if any (used while waiting for it to serve).</summary>
    protected virtual AuthenticationHeaderValue? HttpAuthorization => null;

    /// <summary>Adds switches (after the fixture's own, so they win) and environment to the silo's start.</summary>
    protected virtual void Configure(ProcessStartInfo start)
    {
    }

    public async Task InitializeAsync()
    {
        var ports = FreePorts(3);
        Gateway = $"127.0.0.1:{ports[0]}";
        Url = new Uri($"http://127.0.0.1:{ports[2]}/");
        Directory.CreateDirectory(_dataPath);

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            SiloDll(), "--data", _dataPath, "--url", Url.ToString().TrimEnd('/'),
            "--gateway-port", ports[0].ToString(), "--silo-port", ports[1].ToString(), "--tick-ms", "20",
        })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        Configure(start);
        _process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        try
        {
            await WaitUntilServingAsync();
        }
        catch
        {
            Kill();
            throw;
        }
    }

    public virtual Task DisposeAsync()
    {
        Kill();
        try
        {
            Directory.Delete(_dataPath, recursive: true);
        }
        catch (IOException)
        {
            // The SQLite file may still be held for a moment by a dying process; the temp folder is fine.
        }
        return Task.CompletedTask;
    }

    /// <summary>Waits until the default cluster answers at <c>/status/kv</c> (its nodes are awake).</summary>
    private async Task WaitUntilServingAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Authorization = HttpAuthorization;
        var deadline = DateTime.UtcNow + StartupBound;
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited) throw new InvalidOperationException($"the silo exited with code {_process.ExitCode}:\n{Log()}");
            try
            {
                using var response = await http.GetAsync(new Uri(Url, "status/kv"));
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"the silo did not serve /status/kv within {StartupBound.TotalSeconds} s:\n{Log()}");
    }

    private void Kill()
    {
        if (_process is null) return;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
        _process = null;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    private string Log()
    {
        lock (_log) return _log.Length > 4000 ? _log.ToString(_log.Length - 4000, 4000) : _log.ToString();
    }

    /// <summary>
    /// Runs a silo that is expected to refuse to start: its exit code and standard error. Killed
    /// and reported if it is still running after the startup bound.
    /// </summary>
    public static async Task<(int ExitCode, string Error)> RunToExitAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(SiloDll());
        foreach (var argument in args) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(StartupBound);
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the silo was expected to exit but still ran after {StartupBound.TotalSeconds} s:\n{await output}");
        }
        await output;
        return (process.ExitCode, await error);
    }

    /// <summary>The silo built beside this test assembly: same configuration and target framework.</summary>
    private static string SiloDll()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = output.Name;
        var configuration = output.Parent!.Name;
        var root = typeof(SiloProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
        var dll = Path.Combine(root, "silo", "bin", configuration, framework, "orleansnodes-silo.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"build the silo first: {dll} is missing", dll);
    }

    /// <summary>Ports nobody listens on now, held together so that they differ.</summary>
    public static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }
}
