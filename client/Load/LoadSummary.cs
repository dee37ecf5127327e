using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using OrleansNodes.Simulation.Linearizability;

namespace OrleansNodes.Client.Load;

/// <summary>
/// What a load did: operations by outcome, throughput and latency of the load phase (final
/// reads are counted apart), as <c>kv load</c> prints it and, with <c>--json</c>, as one JSON
/// object for benchmarks and tests. Latencies are of operations with a known outcome; an
/// unknown one has no end to measure.
/// </summary>
public sealed record LoadSummary(
    int Clients,
    int Keys,
    string Mix,
    double Seconds,
    long StartMicros,
    long Ops,
    long Ok,
    long Failed,
    long Unknown,
    long Rejected,
    double OpsPerSecond,
    double PutsPerSecond,
    double LatencyMsP50,
    double LatencyMsP99,
    double LatencyMsMax,
    int FinalReads,
    int FinalReadsOk,
    string? History,
    int ValueBytes = 0,
    long Preloaded = 0,
    double PreloadSeconds = 0)
{
    /// <summary>How long the unmeasured warm-up before the load ran (0 without <c>--warmup</c>).</summary>
    public double WarmupSeconds { get; init; }

    /// <summary>Operations the warm-up issued; not in <see cref="Ops"/> or any other figure.</summary>
    public long WarmupOps { get; init; }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Summarises <paramref name="samples"/> of a load phase that ran <paramref name="seconds"/> from <paramref name="startMicros"/>.</summary>
    public static LoadSummary Of(IReadOnlyList<LoadRecorder.Sample> samples, LoadSpec spec, double seconds, long startMicros, string? history, long preloaded = 0, double preloadSeconds = 0)
    {
        var load = samples.Where(s => !s.FinalRead).ToList();
        var known = load.Where(s => !s.Rejected && s.Outcome != Outcome.Unknown).Select(s => s.LatencyMicros).Order().ToArray();
        var finals = samples.Where(s => s.FinalRead && !s.Rejected).ToList();
        var ok = load.Count(s => !s.Rejected && s.Outcome == Outcome.Ok);
        var puts = load.Count(s => !s.Rejected && s.Outcome == Outcome.Ok && s.Kind == OperationKind.Put);
        var perSecond = seconds > 0 ? 1 / seconds : 0;
        return new LoadSummary(
            spec.Clients,
            spec.Keys,
            spec.Mix.ToString(),
            Math.Round(seconds, 3),
            startMicros,
            Ops: load.Count,
            Ok: ok,
            Failed: load.Count(s => !s.Rejected && s.Outcome == Outcome.Failed),
            Unknown: load.Count(s => !s.Rejected && s.Outcome == Outcome.Unknown),
            Rejected: load.Count(s => s.Rejected),
            OpsPerSecond: Math.Round(known.Length * perSecond, 1),
            PutsPerSecond: Math.Round(puts * perSecond, 1),
            LatencyMsP50: Percentile(known, 0.50),
            LatencyMsP99: Percentile(known, 0.99),
            LatencyMsMax: known.Length == 0 ? 0 : Math.Round(known[^1] / 1000.0, 2),
            FinalReads: finals.Count,
            FinalReadsOk: finals.Count(s => s.Outcome == Outcome.Ok),
            history,
            spec.ValueBytes,
            preloaded,
            Math.Round(preloadSeconds, 3));
    }

    /// <summary>The summary as one line of JSON (camelCase fields, e.g. <c>"putsPerSecond"</c>).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a summary <see cref="ToJson"/> wrote.</summary>
    public static LoadSummary FromJson(string json) =>
        JsonSerializer.Deserialize<LoadSummary>(json, JsonOptions) ?? throw new JsonException("the summary is null");

    /// <summary>The summary for a person: a few lines.</summary>
    public IEnumerable<string> Lines()
    {
        var c = CultureInfo.InvariantCulture;
        if (Preloaded > 0) yield return string.Format(c, "preload  {0:N0} keys in {1:0.0} s ({2:N0} puts/s)", Preloaded, PreloadSeconds, PreloadSeconds > 0 ? Preloaded / PreloadSeconds : 0);
        if (WarmupSeconds > 0) yield return string.Format(c, "warm-up  {0:N0} ops in {1:0.0} s, not measured", WarmupOps, WarmupSeconds);
        yield return string.Format(c, "{0} clients, {1} keys, mix {2}{3}: {4:0.0} s", Clients, Keys, Mix, ValueBytes > 0 ? string.Format(c, ", {0} B values", ValueBytes) : "", Seconds);
        yield return string.Format(c, "ops      {0:N0}: {1:N0} ok, {2:N0} failed (cas not applied), {3:N0} unknown outcome{4}",
            Ops, Ok, Failed, Unknown, Rejected > 0 ? string.Format(c, ", {0:N0} rejected", Rejected) : "");
        yield return string.Format(c, "rate     {0:N1} ops/s, {1:N1} puts/s", OpsPerSecond, PutsPerSecond);
        yield return string.Format(c, "latency  p50 {0:N2} ms, p99 {1:N2} ms, max {2:N2} ms", LatencyMsP50, LatencyMsP99, LatencyMsMax);
        if (FinalReads > 0) yield return string.Format(c, "final    {0} of {1} reads answered", FinalReadsOk, FinalReads);
        if (History is not null) yield return $"history  {History} (check it: orleansnodes check {History})";
    }

    private static double Percentile(long[] sortedMicros, double fraction)
    {
        if (sortedMicros.Length == 0) return 0;
        // Nearest rank: the smallest latency at least this fraction of operations did not exceed.
        var rank = (int)Math.Ceiling(fraction * sortedMicros.Length) - 1;
        return Math.Round(sortedMicros[Math.Clamp(rank, 0, sortedMicros.Length - 1)] / 1000.0, 2);
    }
}
