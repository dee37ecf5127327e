using System.Globalization;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OrleansNodes.Hosting.Clients;
using OrleansNodes.Hosting.Clusters;
using OrleansNodes.Hosting.Telemetry;
using OrleansNodes.Protocols.KeyValue;

namespace OrleansNodes.Hosting.Benchmarks;

/// <summary>
/// What the protocol's instruments cost the key-value cluster: puts/s with an OpenTelemetry
/// meter provider listening to meter <c>OrleansNodes</c> (and collecting once a second, as a
/// scrape would) over puts/s with none, in one process on one silo, halves alternating in order
/// round by round. Between processes, the machine's noise here (±20 % a pair) hides a cost of a
/// few per cent; within one warm process it does not.
/// </summary>
internal static class MetricsCost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 6;
        const int sessions = 32;
        var duration = TimeSpan.FromSeconds(seconds);
        Console.WriteLine($"# {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores; one in-process silo on SQLite, kv x3, {sessions} put sessions over 16 keys, {seconds} s a half, tick 20 ms");
        Console.WriteLine("| round | off puts/s | on puts/s | on/off |");
        Console.WriteLine("| ---: | ---: | ---: | ---: |");

        await using var silo = await BenchSilo.StartAsync(StorageProfile.Sqlite, TimeSpan.FromMilliseconds(20));
        var nodes = new NodesClient(silo.Grains);
        await nodes.CreateClusterAsync(new ClusterSpec("metered", "kv", 3, KeyValueSettings.Default));
        var clients = Enumerable.Range(0, sessions).Select(_ => nodes.OpenSession("metered", TimeSpan.FromSeconds(10))).ToArray();
        while (await clients[0].SubmitAsync(new KeyValueCommand.Put("warm", "up")) is not RequestOutcome.Replied) { }
        await LoadAsync(clients, TimeSpan.FromSeconds(3));

        var ratios = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            double off, on;
            if (round % 2 == 1)
            {
                off = await LoadAsync(clients, duration);
                on = await ListeningAsync(() => LoadAsync(clients, duration));
            }
            else
            {
                on = await ListeningAsync(() => LoadAsync(clients, duration));
                off = await LoadAsync(clients, duration);
            }
            ratios.Add(on / off);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {round} | {off:N0} | {on:N0} | {on / off:F3} |"));
        }
        ratios.Sort();
        var median = ratios.Count % 2 == 1 ? ratios[ratios.Count / 2] : (ratios[ratios.Count / 2 - 1] + ratios[ratios.Count / 2]) / 2;
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median on/off {median:F3} over {rounds} rounds (min {ratios[0]:F3}, max {ratios[^1]:F3})"));
        return 0;
    }

    private static async Task<double> LoadAsync(ClusterSession[] clients, TimeSpan duration)
    {
        var result = await ClosedLoop.RunAsync(clients.Length, duration, async (s, n) =>
            await clients[s].SubmitAsync(new KeyValueCommand.Put("k" + (s % 16).ToString(CultureInfo.InvariantCulture), n.ToString(CultureInfo.InvariantCulture))) is RequestOutcome.Replied);
        return result.PerSecond;
    }

    // The silo's exporter setup without its HTTP endpoint: the same meter, aggregated on every
    // measurement, collected once a second.
    private static async Task<double> ListeningAsync(Func<Task<double>> load)
    {
        using var provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(NodeMetrics.MeterName)
            .AddReader(new PeriodicExportingMetricReader(new Discard(), exportIntervalMilliseconds: 1000))
            .Build();
        return await load();
    }

    private sealed class Discard : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch)
        {
            // Read every point, as an exporter writing them out would.
            foreach (var metric in batch)
                foreach (ref readonly var point in metric.GetMetricPoints()) _ = point.EndTime;
            return ExportResult.Success;
        }
    }
}
