using System.Diagnostics;
using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using OrleansNodes.TestServers;

namespace OrleansNodes.Benchmarks.Etcd;

/// <summary>
/// Three etcd members on loopback, on free ports, each with a fresh temp data folder and etcd's
/// defaults otherwise (every write fsynced before it is acknowledged, as this store does), and a
/// gRPC client that spreads requests over all three, as etcd's own client does. Disposing kills
/// the members and deletes their folders.
/// </summary>
public sealed class EtcdCluster : IDisposable
{
    private static readonly TimeSpan StartupBound = TimeSpan.FromSeconds(60);
    private readonly List<ChildProcess> _members = [];
    private readonly string _folder = Directory.CreateTempSubdirectory("orleansnodes-etcd-").FullName;

    private EtcdCluster(IReadOnlyList<string> endpoints) => Endpoints = endpoints;

    /// <summary>The members' client URLs.</summary>
    public IReadOnlyList<string> Endpoints { get; }

    /// <summary>The client, once the cluster answered a put.</summary>
    public EtcdClient Client { get; private set; } = null!;

    /// <summary>The etcd executable on PATH, or null when etcd is not installed.</summary>
    public static string? Executable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "etcd"))
            .FirstOrDefault(File.Exists);

    /// <summary>Starts three members and waits until the cluster acknowledges a put (a leader was elected and a majority fsynced).</summary>
    public static async Task<EtcdCluster> StartAsync(string executable, CancellationToken cancellation)
    {
        var ports = FreePorts.Take(6);
        var peers = Enumerable.Range(0, 3).Select(i => $"m{i}=http://127.0.0.1:{ports[3 + i]}");
        var cluster = new EtcdCluster([.. Enumerable.Range(0, 3).Select(i => $"http://127.0.0.1:{ports[i]}")]);
        try
        {
            for (var i = 0; i < 3; i++)
            {
                cluster._members.Add(ChildProcess.Start(executable,
                [
                    "--name", $"m{i}", "--data-dir", Path.Combine(cluster._folder, $"m{i}"),
                    "--listen-client-urls", cluster.Endpoints[i], "--advertise-client-urls", cluster.Endpoints[i],
                    "--listen-peer-urls", $"http://127.0.0.1:{ports[3 + i]}", "--initial-advertise-peer-urls", $"http://127.0.0.1:{ports[3 + i]}",
                    "--initial-cluster", string.Join(",", peers), "--initial-cluster-token", Path.GetFileName(cluster._folder), "--initial-cluster-state", "new",
                    "--logger", "zap", "--log-level", "warn",
                ]));
            }
            cluster.Client = Connect(cluster.Endpoints);
            await cluster.WaitForPutAsync(cancellation);
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A client over <paramref name="endpoints"/>: plain HTTP/2 on loopback, and more than one
    /// connection per member when a hundred sessions' streams would exceed one connection's limit.
    /// </summary>
    public static EtcdClient Connect(IReadOnlyList<string> endpoints) =>
        new(string.Join(",", endpoints), configureChannelOptions: options =>
        {
            options.Credentials = ChannelCredentials.Insecure;
            options.HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        });

    /// <summary>SIGSTOP every member: the cluster freezes with its sockets open and takes no CPU.</summary>
    public Task PauseAsync() => Task.WhenAll(_members.Select(member => member.PauseAsync()));

    /// <summary>SIGCONT every member after <see cref="PauseAsync"/>.</summary>
    public Task ResumeAsync() => Task.WhenAll(_members.Select(member => member.ResumeAsync()));

    /// <inheritdoc/>
    public void Dispose()
    {
        Client?.Dispose();
        foreach (var member in _members) member.Dispose();
        TempFolder.TryDelete(_folder);
    }

    private async Task WaitForPutAsync(CancellationToken cancellation)
    {
        var started = Stopwatch.StartNew();
        var put = new PutRequest { Key = ByteString.CopyFromUtf8("orleansnodes-ready"), Value = ByteString.CopyFromUtf8("1") };
        Exception? last = null;
        while (started.Elapsed < StartupBound)
        {
            cancellation.ThrowIfCancellationRequested();
            if (_members.FirstOrDefault(m => m.HasExited) is { } exited)
                throw new InvalidOperationException($"etcd member {_members.IndexOf(exited)} exited with code {exited.ExitCode}:\n{exited.Tail()}");
            try
            {
                await Client.PutAsync(put, deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: cancellation);
                return;
            }
            catch (RpcException exception)
            {
                last = exception;
            }
            await Task.Delay(100, cancellation);
        }
        throw new TimeoutException($"etcd acknowledged no put within {StartupBound.TotalSeconds:0} s ({last?.Message}):\n{_members[0].Tail()}");
    }
}
