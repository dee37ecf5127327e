using System.Net;
using System.Net.Sockets;

namespace OrleansNodes.Client.Testing;

/// <summary>How to start a silo: the program and the arguments before the silo's own.</summary>
/// <param name="FileName">An executable, or <c>dotnet</c> for an assembly.</param>
/// <param name="Prefix">The assembly's path when <see cref="FileName"/> is <c>dotnet</c>; else empty.</param>
internal sealed record SiloLaunch(string FileName, IReadOnlyList<string> Prefix)
{
    /// <summary>The command as a person would type it, for messages.</summary>
    public override string ToString() => string.Join(' ', [FileName, .. Prefix]);
}

/// <summary>
/// The silos (and, for the redis profile, the <c>redis-server</c>) that <c>orleansnodes test</c>
/// starts on loopback for one run, each in its own folder under the run's folder. A silo keeps
/// its ports and data folder across kills and restarts, as a machine that reboots does. Every
/// process ends when the cluster is disposed, or at once with <see cref="KillAll"/>.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    // A silo answers its status once it has joined and the default cluster exists; under load
    // on a small machine that takes tens of seconds.
    private static readonly TimeSpan ReadyBound = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(30);

    // First starts that found a port taken before the silo could bind it, tried again on fresh ports.
    private const int PortAttempts = 3;

    private readonly SiloLaunch _launch;
    private readonly string _folder;
    private readonly string _id;
    private readonly LocalSilo[] _silos;
    private readonly LocalRedis? _redis;
    private readonly Func<int, int[]> _pickPorts;

    private LocalCluster(SiloLaunch launch, string folder, int silos, LocalRedis? redis, Func<int, int[]> pickPorts)
    {
        _launch = launch;
        _folder = folder;
        _redis = redis;
        _pickPorts = pickPorts;
        _id = "test-" + Path.GetFileName(folder);
        _silos = [.. Enumerable.Range(0, silos).Select(index => new LocalSilo(index, Path.Combine(folder, $"silo{index}"), pickPorts(3)))];
    }

    /// <summary>The silos' gateways, comma-separated, as <c>--gateway</c> takes them.</summary>
    public string Gateways => string.Join(",", _silos.Select(silo => $"127.0.0.1:{silo.Ports[1]}"));

    /// <summary>The Orleans cluster (and service) id the silos share, for the console's connection.</summary>
    public string ClusterId => _redis is null ? "orleansnodes" : _id;

    /// <summary>How many silos.</summary>
    public int Count => _silos.Length;

    /// <summary>Whether the storage server is one this cluster started (and so can kill).</summary>
    public bool OwnsStorage => _redis is not null;

    /// <summary>
    /// Starts <paramref name="silos"/> silos (and Redis when <paramref name="redis"/>) and waits
    /// until every silo answers. <paramref name="pickPorts"/> picks a silo's ports (silo, gateway,
    /// HTTP; default <see cref="LoopbackPorts.Take"/>), for tests.
    /// </summary>
    public static async Task<LocalCluster> StartAsync(SiloLaunch launch, int silos, bool redis, string folder, CancellationToken cancellation, Func<int, int[]>? pickPorts = null)
    {
        Directory.CreateDirectory(folder);
        pickPorts ??= LoopbackPorts.Take;
        var cluster = new LocalCluster(launch, folder, silos, redis ? new LocalRedis(Path.Combine(folder, "redis"), LoopbackPorts.Take(1)[0]) : null, pickPorts);
        try
        {
            if (cluster._redis is { } server) await server.StartAsync(cancellation);
            await Task.WhenAll(cluster._silos.Select(silo => cluster.StartFirstTimeAsync(silo, cancellation)));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL silo <paramref name="index"/>.</summary>
    public Task KillAsync(int index) => _silos[index].Process?.KillAsync() ?? Task.CompletedTask;

    /// <summary>SIGSTOP silo <paramref name="index"/>.</summary>
    public void Pause(int index) => _silos[index].Process?.Pause();

    /// <summary>SIGCONT silo <paramref name="index"/>.</summary>
    public void Resume(int index) => _silos[index].Process?.Resume();

    /// <summary>Starts silo <paramref name="index"/> again (after a kill), on its ports and data, and waits until it answers.</summary>
    public Task StartAsync(int index, CancellationToken cancellation) => StartSiloAsync(_silos[index], cancellation);

    /// <summary>Stops silo <paramref name="index"/> gracefully, starts it again and waits until it answers.</summary>
    public async Task RestartAsync(int index, CancellationToken cancellation)
    {
        if (_silos[index].Process is { } process) await process.StopAsync(StopBound);
        await StartSiloAsync(_silos[index], cancellation);
    }

    /// <summary>SIGKILL the storage server.</summary>
    public Task KillStorageAsync() => _redis?.KillAsync() ?? Task.CompletedTask;

    /// <summary>Starts the storage server again on its port and folder (its append-only file brings its data back).</summary>
    public Task StartStorageAsync(CancellationToken cancellation) => _redis?.StartAsync(cancellation) ?? Task.CompletedTask;

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            silo.Process?.Dispose();
            silo.Log.Dispose();
        }
        if (_redis is not null) await _redis.DisposeAsync();
    }

    /// <summary>
    /// Kills every process at once, synchronously: for Ctrl+C and SIGTERM, after which the console
    /// has only a couple of seconds before it ends (System.CommandLine's termination timeout).
    /// </summary>
    public void KillAll()
    {
        foreach (var silo in _silos) silo.Process?.Dispose();
        _redis?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    // The ports were free when they were picked, but another process on the machine (a test
    // runner picking its own ports, say) may bind one before the silo does. On its first start a
    // silo has nothing to keep on those ports, so it tries again on fresh ones; on a restart it
    // keeps its ports, as a rebooted machine keeps its address.
    private async Task StartFirstTimeAsync(LocalSilo silo, CancellationToken cancellation)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartSiloAsync(silo, cancellation);
                return;
            }
            catch (CliException) when (silo.SawPortTaken && attempt < PortAttempts)
            {
                silo.Ports = _pickPorts(3);
            }
        }
    }

    private async Task StartSiloAsync(LocalSilo silo, CancellationToken cancellation)
    {
        silo.Process?.Dispose();
        silo.SawPortTaken = false;
        Directory.CreateDirectory(silo.Folder);
        string[] storage = _redis is { } redis
            ? ["--storage", "redis", "--redis", redis.ConnectionString, "--cluster-id", _id, "--service-id", _id]
            : [];
        silo.Process = ChildProcess.Start(_launch.FileName,
        [
            .. _launch.Prefix,
            "--data", silo.Folder, "--url", $"http://127.0.0.1:{silo.Ports[2]}",
            "--silo-port", silo.Ports[0].ToString(), "--gateway-port", silo.Ports[1].ToString(),
            .. storage,
        ], new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" }, silo.Write);
        await WaitUntilReadyAsync(silo, cancellation);
    }

    private static async Task WaitUntilReadyAsync(LocalSilo silo, CancellationToken cancellation)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        bound.CancelAfter(ReadyBound);
        var status = new Uri($"http://127.0.0.1:{silo.Ports[2]}/status/kv");
        while (true)
        {
            if (silo.Process!.HasExited)
            {
                // Its last lines (the reason it exited) may still be on their way to the log.
                await silo.Process.WaitForExitAsync(bound.Token);
                throw CliException.Unavailable($"silo {silo.Index} exited while starting (its output: {silo.Log.Path})");
            }
            try
            {
                using var response = await http.GetAsync(status, bound.Token);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException) when (bound.IsCancellationRequested && !cancellation.IsCancellationRequested)
            {
                throw CliException.Unavailable($"silo {silo.Index} did not answer within {ReadyBound.TotalSeconds:0} s (its output: {silo.Log.Path})");
            }
            await Task.Delay(200, bound.Token);
        }
    }

    private sealed class LocalSilo(int index, string folder, int[] ports)
    {
        public int Index { get; } = index;

        public string Folder { get; } = folder;

        /// <summary>Everything the silo wrote, across its restarts.</summary>
        public OutputLog Log { get; } = new(System.IO.Path.Combine(folder, "silo.log"));

        /// <summary>Silo port, gateway port, HTTP port.</summary>
        public int[] Ports { get; set; } = ports;

        public ChildProcess? Process { get; set; }

        /// <summary>Whether the silo said, since it was last started, that a port it was given is taken ("… is already in use on 127.0.0.1").</summary>
        public bool SawPortTaken { get; set; }

        public void Write(string line)
        {
            if (line.Contains("already in use", StringComparison.OrdinalIgnoreCase)) SawPortTaken = true;
            Log.WriteLine(line);
        }
    }
}

/// <summary>Free loopback ports, below the kernel's ephemeral range so that no outgoing connection takes one before its silo binds it.</summary>
internal static class LoopbackPorts
{
    private const int Lowest = 20_000;
    private const int Highest = 32_000;
    private static readonly Lock Gate = new();
    private static readonly Random Pick = new();

    public static int[] Take(int count)
    {
        var ports = new List<int>(count);
        lock (Gate)
        {
            while (ports.Count < count)
            {
                var port = Pick.Next(Lowest, Highest);
                if (!ports.Contains(port) && CanBind(port)) ports.Add(port);
            }
        }
        return [.. ports];
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
