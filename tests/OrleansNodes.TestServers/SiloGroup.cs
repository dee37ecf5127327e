using System.Text.Json;

namespace OrleansNodes.TestServers;

/// <summary>
/// Silo processes of one Orleans cluster (same cluster and service id, fresh for each group) on
/// free loopback ports, and what their status endpoints say about where the nodes of the default
/// key-value cluster run.
/// </summary>
public sealed class SiloGroup : IDisposable
{
    private readonly List<SiloProcess> _silos = [];
    private readonly string[] _arguments;

    private SiloGroup(string[] arguments, string id)
    {
        _arguments = arguments;
        Ids = ["--cluster-id", id, "--service-id", id];
    }

    /// <summary>The silo processes, in the order they were added.</summary>
    public IReadOnlyList<SiloProcess> Silos => _silos;

    /// <summary><c>--cluster-id X --service-id X</c>, for the console.</summary>
    public string[] Ids { get; }

    /// <summary>Every silo's gateway, comma-separated, as the console's <c>--gateway</c> takes them.</summary>
    public string Gateways => string.Join(",", _silos.Select(s => s.Gateway));

    /// <summary>Starts <paramref name="count"/> silos with <paramref name="arguments"/> (e.g. the redis profile) and a fresh cluster and service id.</summary>
    public static async Task<SiloGroup> StartAsync(int count, string[] arguments)
    {
        var group = new SiloGroup(arguments, $"g{Guid.NewGuid():N}"[..12]);
        try
        {
            await group.AddAsync(count);
        }
        catch
        {
            group.Dispose();
            throw;
        }
        return group;
    }

    /// <summary>Starts <paramref name="count"/> more silos that join the group's cluster.</summary>
    public async Task AddAsync(int count = 1)
    {
        var started = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => SiloProcess.StartOnFreePortsAsync([.. _arguments, .. Ids])));
        _silos.AddRange(started);
    }

    /// <summary>
    /// Where each node of cluster <c>kv</c> runs, as the first running silo that answers its
    /// status reports it; null when none answers within <paramref name="bound"/>.
    /// </summary>
    public async Task<IReadOnlyList<NodePlace>?> PlacementAsync(TimeSpan bound)
    {
        using var http = new HttpClient { Timeout = bound };
        foreach (var asked in _silos.Where(s => s.IsRunning))
        {
            try
            {
                using var status = JsonDocument.Parse(await http.GetStringAsync(new Uri(asked.Url, "status/kv")));
                return [.. status.RootElement.GetProperty("nodes").EnumerateArray().Select(Place)];
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
            {
                // Ask the next one.
            }
        }
        return null;
    }

    /// <summary>Waits until <paramref name="condition"/> holds of the placement; the last placement seen, or a <see cref="TimeoutException"/> saying what it was.</summary>
    public async Task<IReadOnlyList<NodePlace>> WaitForPlacementAsync(Func<IReadOnlyList<NodePlace>, bool> condition, string what, TimeSpan bound)
    {
        var deadline = DateTime.UtcNow + bound;
        IReadOnlyList<NodePlace>? last = null;
        while (true)
        {
            last = await PlacementAsync(TimeSpan.FromSeconds(5)) ?? last;
            if (last is not null && condition(last)) return last;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not within {bound.TotalSeconds:0} s: {what}; last placement: {Describe(last)}");
            await Task.Delay(200);
        }
    }

    /// <summary>Waits until every node answers, runs, and runs on a silo of its own.</summary>
    public Task<IReadOnlyList<NodePlace>> WaitForSpreadAsync(TimeSpan bound) =>
        WaitForPlacementAsync(
            places => places.All(p => p.Answered && p.Running && p.Silo is { IsRunning: true }) && places.Select(p => p.Silo).Distinct().Count() == places.Count,
            "every node answering on a silo of its own",
            bound);

    /// <summary>Waits until every node answers and runs, wherever.</summary>
    public Task<IReadOnlyList<NodePlace>> WaitForAllAnsweringAsync(TimeSpan bound) =>
        WaitForPlacementAsync(places => places.All(p => p.Answered && p.Running), "every node answering", bound);

    /// <summary>A placement as one line, for failure messages.</summary>
    public string Describe(IReadOnlyList<NodePlace>? places) =>
        places is null ? "no status answered" : string.Join("; ", places.Select(p =>
            $"{p.Node} {(p.Answered ? p.Running ? "running" : "stopped" : "not answering")}{(p.Leader ? " (leader)" : "")} on {(p.Silo is { } s ? $"silo {_silos.IndexOf(s)} (port {s.SiloPort})" : p.SiloText.Length > 0 ? p.SiloText : "?")}"));

    /// <summary>SIGSTOP every silo: the group freezes with its sockets open and takes no CPU.</summary>
    public Task PauseAsync() => Task.WhenAll(_silos.Select(silo => silo.PauseAsync()));

    /// <summary>SIGCONT every silo after <see cref="PauseAsync"/>.</summary>
    public Task ResumeAsync() => Task.WhenAll(_silos.Select(silo => silo.ResumeAsync()));

    /// <summary>The last lines of every silo's output, for failure messages.</summary>
    public string Tails(int characters = 2500) => string.Join("\n", _silos.Select((silo, i) =>
    {
        string tail;
        try
        {
            tail = silo.Process.Tail(characters);
        }
        catch (InvalidOperationException)
        {
            tail = "(not started)";
        }
        return $"--- silo {i} (port {silo.SiloPort}):\n{tail}";
    }));

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var silo in _silos) silo.Dispose();
    }

    private NodePlace Place(JsonElement node)
    {
        var hostedOn = node.GetProperty("silo").GetString() ?? "";
        var silo = _silos.FirstOrDefault(s => hostedOn.StartsWith($"127.0.0.1:{s.SiloPort}@", StringComparison.Ordinal));
        var answered = !node.TryGetProperty("answered", out var a) || a.GetBoolean();
        return new NodePlace(
            node.GetProperty("node").GetString() ?? "",
            silo,
            hostedOn,
            (node.GetProperty("state").GetString() ?? "").StartsWith("Leader ", StringComparison.Ordinal),
            answered,
            node.GetProperty("running").GetBoolean());
    }
}
