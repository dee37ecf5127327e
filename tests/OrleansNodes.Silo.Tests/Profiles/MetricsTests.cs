using System.Globalization;
using System.Text.RegularExpressions;
using OrleansNodes.TestServers;

namespace OrleansNodes.Silo.Tests.Profiles;

/// <summary><c>GET /metrics</c> on a running silo: the protocol's instruments move as a put goes through, beside the runtime's and Orleans' own.</summary>
public sealed partial class MetricsTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Put_ThroughTheGateway_RaisesTheCountersItShould()
    {
        using var silo = new SiloProcess([], new Dictionary<string, string> { ["ORLEANSNODES__ORLEANSMETRICS"] = "true" });
        await silo.StartAsync();
        using var http = new HttpClient { BaseAddress = silo.Url };
        var before = Parse(await http.GetStringAsync("metrics"));

        var put = await ConsoleProcess.RunAsync(["kv", "put", "metered", "yes", "--gateway", silo.Gateway], Generous);
        Assert.True(put.ExitCode == 0, put.Output);
        var after = Parse(await http.GetStringAsync("metrics"));

        // One request answered ok at the gateway, and the nodes stepped, wrote and talked.
        Assert.True(Sum(after, "orleansnodes_gateway_request_duration_seconds_count", "outcome=\"ok\"") >= Sum(before, "orleansnodes_gateway_request_duration_seconds_count", "outcome=\"ok\"") + 1);
        foreach (var node in new[] { "n0", "n1", "n2" })
            Assert.True(Sum(after, "orleansnodes_node_steps_total", $"node=\"{node}\"") > 0, $"{node} stepped nothing");
        Assert.True(Sum(after, "orleansnodes_node_storage_writes_total", "cluster=\"kv\"") > Sum(before, "orleansnodes_node_storage_writes_total", "cluster=\"kv\""));
        Assert.True(Sum(after, "orleansnodes_node_storage_written_bytes_total", "cluster=\"kv\"") > 0);
        Assert.True(Sum(after, "orleansnodes_node_messages_sent_total", "cluster=\"kv\"") > 0);
        Assert.True(Sum(after, "orleansnodes_node_messages_received_total", "cluster=\"kv\"") > 0);
        Assert.True(Sum(after, "orleansnodes_node_flush_duration_seconds_count", "cluster=\"kv\"") > 0);
        Assert.True(Sum(after, "orleansnodes_node_batch_inputs_count", "cluster=\"kv\"") > 0);
        Assert.True(Sum(after, "orleansnodes_node_inbox", "cluster=\"kv\"") >= 0, "the inbox gauge went negative");
        // Where the replied requests' time went at the nodes: every stage once per replied
        // request, none negative, and all of it inside the gateways' time for the same requests.
        var stages = new[] { "queued", "batch", "waiting", "reply" };
        var replied = Sum(after, "orleansnodes_node_request_stage_seconds_count", "stage=\"queued\"");
        Assert.True(replied >= 1, "no replied request was timed");
        foreach (var stage in stages)
        {
            Assert.Equal(replied, Sum(after, "orleansnodes_node_request_stage_seconds_count", $"stage=\"{stage}\""));
            Assert.True(Sum(after, "orleansnodes_node_request_stage_seconds_sum", $"stage=\"{stage}\"") >= 0, $"stage {stage} went negative");
        }
        var atNodes = stages.Sum(stage => Sum(after, "orleansnodes_node_request_stage_seconds_sum", $"stage=\"{stage}\""));
        var atGateways = Sum(after, "orleansnodes_gateway_request_duration_seconds_sum", "cluster=\"kv\"");
        Assert.True(atNodes <= atGateways, $"the nodes timed {atNodes:F4} s of requests, the gateways only {atGateways:F4} s");
        Assert.True(Sum(after, "orleansnodes_node_message_turnaround_seconds_count", "cluster=\"kv\"") > 0);
        // A put needs a leader: some node of kv became one.
        Assert.True(Sum(after, "orleansnodes_node_leader_changes_total", "cluster=\"kv\"") >= 1, "no leader change counted");
        // Orleans' own meter, asked for, is exported beside them.
        Assert.Contains(after, sample => sample.Name.StartsWith("orleans_", StringComparison.Ordinal));
        // So is the runtime's, which moves as the silo works: the put's code was compiled and ran.
        Assert.True(Sum(after, "dotnet_jit_compiled_methods_total", "System.Runtime") > Sum(before, "dotnet_jit_compiled_methods_total", "System.Runtime"), "no method was compiled between the scrapes");
        Assert.True(Sum(after, "dotnet_process_cpu_time_seconds_total", "cpu_mode=\"user\"") > Sum(before, "dotnet_process_cpu_time_seconds_total", "cpu_mode=\"user\""), "the silo's CPU time did not move");
    }

    private static double Sum(IReadOnlyList<Sample> samples, string name, string label) =>
        samples.Where(s => s.Name == name && s.Labels.Contains(label, StringComparison.Ordinal)).Sum(s => s.Value);

    private static List<Sample> Parse(string exposition) =>
        [.. exposition.Split('\n')
            .Select(line => SampleLine().Match(line))
            .Where(match => match.Success)
            .Select(match => new Sample(match.Groups["name"].Value, match.Groups["labels"].Value, Number(match.Groups["value"].Value)))];

    private static double Number(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.Parse(text, CultureInfo.InvariantCulture),
    };

    private sealed record Sample(string Name, string Labels, double Value);

    // Prometheus' text format: name{labels} value [timestamp]
    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>[-+0-9.eE]+|NaN|\+Inf|-Inf)( \d+)?$")]
    private static partial Regex SampleLine();

    [Fact]
    public async Task Metrics_Default_ProtocolMetersOnlyAndOffTurnsTheEndpointOff()
    {
        using var silo = new SiloProcess([]);
        await silo.StartAsync();
        using var http = new HttpClient { BaseAddress = silo.Url };
        var samples = Parse(await http.GetStringAsync("metrics"));
        Assert.Contains(samples, sample => sample.Name.StartsWith("orleansnodes_", StringComparison.Ordinal));
        Assert.Contains(samples, sample => sample.Name == "dotnet_gc_collections_total");
        Assert.DoesNotContain(samples, sample => sample.Name.StartsWith("orleans_", StringComparison.Ordinal));

        using var off = new SiloProcess([], new Dictionary<string, string> { ["ORLEANSNODES__METRICS"] = "false" });
        await off.StartAsync();
        using var offHttp = new HttpClient { BaseAddress = off.Url };
        using var response = await offHttp.GetAsync("metrics");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }
}
