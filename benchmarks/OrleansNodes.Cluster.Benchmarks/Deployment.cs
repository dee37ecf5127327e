using System.Text.Json;
using OrleansNodes.TestServers;

namespace OrleansNodes.Cluster.Benchmarks;

/// <summary>
/// Silo processes of one Orleans cluster (same cluster and service id), started on free
/// loopback ports, and what their status endpoints say about the key-value cluster.
/// </summary>
public sealed class Deployment : IDisposable
{
    private Deployment(SiloProcess[] silos, string[] ids)
    {
        Silos = silos;
        Ids = ids;
    }

    /// <summary>The silo processes.</summary>
    public SiloProcess[] Silos { get; }

    /// <summary><c>--cluster-id X --service-id X</c>, for the console.</summary>
    public string[] Ids { get; }

    /// <summary>Every silo's gateway.</summary>
    public IEnumerable<string> Gateways => Silos.Select(s => s.Gateway);

    /// <summary>Starts <paramref name="count"/> silos with <paramref name="arguments"/> and a fresh cluster and service id.</summary>
    public static async Task<Deployment> StartAsync(int count, string[] arguments)
    {
        var id = $"b{Guid.NewGuid():N}"[..12];
        string[] ids = ["--cluster-id", id, "--service-id", id];
        var silos = new SiloProcess[count];
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i => silos[i] = await SiloProcess.StartOnFreePortsAsync([.. arguments, .. ids])));
        return new Deployment(silos, ids);
    }

    /// <summary>
    /// Where the nodes of cluster <c>kv</c> run, as the first running silo's status reports it:
    /// per node, its silo process (null if none matches) and whether it is the leader. Null when
    /// the status does not answer (a node's silo is dead and not yet declared so).
    /// </summary>
    public async Task<IReadOnlyList<(SiloProcess? Silo, bool Leader)>?> PlacementAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = timeout };
        var asked = Silos.First(s => s.IsRunning);
        try
        {
            using var status = JsonDocument.Parse(await http.GetStringAsync(new Uri(asked.Url, "status/kv")));
            return [.. status.RootElement.GetProperty("nodes").EnumerateArray().Select(node =>
            {
                var hostedOn = node.GetProperty("silo").GetString() ?? "";
                var silo = Silos.FirstOrDefault(s => hostedOn.StartsWith($"127.0.0.1:{s.SiloPort}@", StringComparison.Ordinal));
                return (silo, (node.GetProperty("state").GetString() ?? "").StartsWith("Leader ", StringComparison.Ordinal));
            })];
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var silo in Silos) silo?.Dispose();
    }
}
