using System.Net.Sockets;
using System.Text;

namespace OrleansNodes.TestServers;

/// <summary>
/// A real Redis server on loopback. Shared: the one <c>.ci/run</c> started, named by
/// <c>ORLEANSNODES_TEST_REDIS</c> (tests keep apart by unique service ids). Owned: a private
/// <c>redis-server</c> on a free port with its own folder, configured as the redis profile
/// requires (AOF, fsync on every write) and docs/operators.md recommends (the file rewritten
/// after 256 MB), which a test may kill and restart.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    /// <summary>Names the shared server's <c>HOST:PORT</c>.</summary>
    public const string SharedVariable = "ORLEANSNODES_TEST_REDIS";

    /// <summary>What the skip message tells a person running the tests by hand.</summary>
    public const string HowToGetIt =
        "needs redis-server: install it (sudo apt-get install redis-server) or run `bash .ci/services.sh start` and export the variables it prints; CI always runs these tests";

    private static readonly TimeSpan StartupBound = TimeSpan.FromSeconds(30);
    private readonly bool _owned;
    private string _folder = "";
    private ChildProcess? _process;

    /// <summary>A server: the shared one when <c>ORLEANSNODES_TEST_REDIS</c> is set, else an owned one.</summary>
    public RedisServer() : this(owned: Environment.GetEnvironmentVariable(SharedVariable) is not { Length: > 0 })
    {
    }

    private RedisServer(bool owned) => _owned = owned;

    /// <summary>A private server this test may restart, whatever the environment says.</summary>
    public static RedisServer Owned() => new(owned: true);

    /// <summary>Whether Redis can be had: a shared server is named, or redis-server is installed.</summary>
    public static bool IsAvailable =>
        Environment.GetEnvironmentVariable(SharedVariable) is { Length: > 0 } || Executable() is not null;

    /// <summary>The StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6390</c>.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>Whether this fixture started the server (and so may restart it).</summary>
    public bool IsOwned => _owned;

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        if (!_owned)
        {
            ConnectionString = Environment.GetEnvironmentVariable(SharedVariable)!;
            await WaitForPingAsync();
            return;
        }
        _folder = Directory.CreateTempSubdirectory("orleansnodes-redis-").FullName;
        ConnectionString = $"127.0.0.1:{FreePorts.Take(1)[0]}";
        await StartAsync();
    }

    /// <summary>
    /// Kills the server with SIGKILL (no shutdown save) and starts it again on the same port
    /// and folder: what it still holds came back from its append-only file.
    /// </summary>
    public async Task CrashAndRestartAsync()
    {
        Kill();
        await RestartAsync();
    }

    /// <summary>Kills the server with SIGKILL and leaves it down, for tests of what clients do meanwhile.</summary>
    public void Kill()
    {
        if (!_owned) throw new InvalidOperationException("only an owned server may be killed");
        _process!.Kill();
    }

    /// <summary>Starts a killed server again on the same port and folder, from its append-only file.</summary>
    public async Task RestartAsync()
    {
        if (!_owned) throw new InvalidOperationException("only an owned server may be restarted");
        if (_process is { HasExited: false }) throw new InvalidOperationException("the server is still running");
        _process?.Dispose();
        await StartAsync();
    }

    /// <summary>SIGSTOP an owned server: it freezes with its sockets open.</summary>
    public Task PauseAsync() => Owned(nameof(PauseAsync)).PauseAsync();

    /// <summary>SIGCONT an owned server after <see cref="PauseAsync"/>.</summary>
    public Task ResumeAsync() => Owned(nameof(ResumeAsync)).ResumeAsync();

    /// <summary>Sends one command (inline protocol) and returns the raw reply, e.g. <c>PING</c> → <c>+PONG</c>.</summary>
    public async Task<string> CommandAsync(string command)
    {
        var (host, port) = HostAndPort();
        using var client = new TcpClient();
        await client.ConnectAsync(host, port);
        using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(command + "\r\n"));
        var buffer = new byte[64 * 1024];
        var read = await stream.ReadAsync(buffer);
        return Encoding.UTF8.GetString(buffer, 0, read).TrimEnd('\r', '\n');
    }

    /// <inheritdoc/>
    public Task DisposeAsync()
    {
        _process?.Dispose();
        TempFolder.TryDelete(_folder);
        return Task.CompletedTask;
    }

    private ChildProcess Owned(string what) =>
        _owned && _process is { } process ? process : throw new InvalidOperationException($"{what}: only a started, owned server");

    private async Task StartAsync()
    {
        var executable = Executable() ?? throw new InvalidOperationException(HowToGetIt);
        var (_, port) = HostAndPort();
        _process = ChildProcess.Start(executable,
        [
            "--port", port.ToString(), "--bind", "127.0.0.1", "--dir", _folder,
            "--appendonly", "yes", "--appendfsync", "always", "--auto-aof-rewrite-min-size", "256mb", "--save", "", "--daemonize", "no",
        ]);
        await WaitForPingAsync();
    }

    private async Task WaitForPingAsync()
    {
        var deadline = DateTime.UtcNow + StartupBound;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            if (_process is { HasExited: true }) throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode}:\n{_process.Tail()}");
            try
            {
                // LOADING while the append-only file is replayed; PONG once it serves.
                if (await CommandAsync("PING") == "+PONG") return;
            }
            catch (SocketException exception)
            {
                last = exception;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"no Redis answered PING at {ConnectionString} within {StartupBound.TotalSeconds:0} s ({last?.Message}). {HowToGetIt}");
    }

    private (string Host, int Port) HostAndPort()
    {
        var first = ConnectionString.Split(',')[0];
        var colon = first.LastIndexOf(':');
        return colon < 0 ? (first, 6379) : (first[..colon], int.Parse(first[(colon + 1)..]));
    }

    private static string? Executable() => ExecutableLookup.Find("redis-server", "/usr/bin", "/usr/local/bin");
}
