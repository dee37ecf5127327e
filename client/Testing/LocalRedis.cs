using System.Net.Sockets;
using System.Text;

namespace OrleansNodes.Client.Testing;

/// <summary>
/// A <c>redis-server</c> on a loopback port with its own folder, configured as the redis profile
/// needs it (append-only file, fsync on every write), so that killing it loses nothing it
/// acknowledged, and the file rewritten after 256 MB as docs/operators.md recommends. Started
/// again on the same port and folder, it replays its file.
/// </summary>
internal sealed class LocalRedis(string folder, int port) : IAsyncDisposable
{
    private static readonly TimeSpan ReadyBound = TimeSpan.FromSeconds(60);

    private readonly OutputLog _log = new(Path.Combine(folder, "redis.log"));
    private ChildProcess? _process;

    /// <summary>The connection string the silos get.</summary>
    public string ConnectionString => $"127.0.0.1:{port}";

    /// <summary>Starts the server and waits until it answers PING.</summary>
    public async Task StartAsync(CancellationToken cancellation)
    {
        var executable = Executables.Find("redis-server", "/usr/bin", "/usr/local/bin", "/usr/sbin") ?? throw CliException.Unavailable("--storage redis needs redis-server on PATH (Debian: apt-get install redis-server)");
        Directory.CreateDirectory(folder);
        _process?.Dispose();
        _process = ChildProcess.Start(executable,
        [
            "--port", port.ToString(), "--bind", "127.0.0.1", "--dir", folder,
            "--appendonly", "yes", "--appendfsync", "always", "--auto-aof-rewrite-min-size", "256mb", "--save", "", "--daemonize", "no",
        ], onLine: _log.WriteLine);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        bound.CancelAfter(ReadyBound);
        while (!await AnswersPingAsync(bound.Token))
        {
            if (_process.HasExited) throw CliException.Unavailable($"redis-server exited while starting (its output: {_log.Path})");
            try
            {
                await Task.Delay(100, bound.Token);
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                throw CliException.Unavailable($"redis-server did not answer on port {port} within {ReadyBound.TotalSeconds:0} s (its output: {_log.Path})");
            }
        }
    }

    /// <summary>SIGKILL.</summary>
    public Task KillAsync() => _process?.KillAsync() ?? Task.CompletedTask;

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _process?.Dispose();
        _log.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<bool> AnswersPingAsync(CancellationToken cancellation)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, cancellation);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellation);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, cancellation);
            // LOADING while the append-only file is replayed; PONG once it serves.
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
