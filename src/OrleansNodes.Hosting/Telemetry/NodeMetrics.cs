using System.Diagnostics.Metrics;

namespace OrleansNodes.Hosting.Telemetry;

/// <summary>
/// The protocol's side of a silo, as <see cref="System.Diagnostics.Metrics"/> instruments on the
/// meter <see cref="MeterName"/>: what nodes step, write and send, per cluster and node, and what
/// clients see at the gateway. Exporters (OpenTelemetry's Prometheus and OTLP exporters in the
/// silo) subscribe to the meter by name; with no subscriber an instrument costs next to nothing.
/// </summary>
/// <remarks>
/// Names follow OpenTelemetry's conventions (dotted, units as UCUM annotations); a Prometheus
/// exporter writes them with underscores and unit suffixes: <c>orleansnodes.node.steps</c> becomes
/// <c>orleansnodes_node_steps_total</c>, <c>orleansnodes.node.flush.duration</c> (seconds)
/// <c>orleansnodes_node_flush_duration_seconds</c>. Tags: <c>cluster</c> and <c>node</c>
/// (<c>n0</c>, <c>n1</c>, …); the gateway's requests by <c>cluster</c> and <c>outcome</c>.
/// </remarks>
public static class NodeMetrics
{
    /// <summary>The meter's name, for exporters to subscribe to.</summary>
    public const string MeterName = "OrleansNodes";

    private static readonly Meter Meter = new(MeterName, typeof(NodeMetrics).Assembly.GetName().Version?.ToString());

    /// <summary>Inputs stepped (ticks, messages, requests).</summary>
    public static readonly Counter<long> Steps = Meter.CreateCounter<long>("orleansnodes.node.steps", "{input}", "Inputs stepped by the node: ticks, peer messages and client requests");

    /// <summary>Inputs stepped per batch: one batch, one flush.</summary>
    public static readonly Histogram<int> BatchInputs = Meter.CreateHistogram<int>(
        "orleansnodes.node.batch.inputs", "{input}", "Inputs stepped in one batch, which persists once",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] });

    /// <summary>How long a flush to storage took.</summary>
    public static readonly Histogram<double> FlushDuration = Meter.CreateHistogram<double>(
        "orleansnodes.node.flush.duration", "s", "Time to write one batch's flush to the node store",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });

    /// <summary>
    /// Where a replied request's time went at the node that replied, by <c>stage</c>: <c>queued</c>
    /// (arrival to the step of the batch that took it in), <c>batch</c> (that batch's step and
    /// flush), <c>waiting</c> (from that batch's release to the step of the batch that replied: for
    /// a leader, its peers' round) and <c>reply</c> (that batch's step and flush). A request answered
    /// in the batch that took it in waits and replies in 0 s, so each stage is recorded once per
    /// replied request and the stages' means add up to the mean time at the node.
    /// </summary>
    public static readonly Histogram<double> RequestStage = Meter.CreateHistogram<double>(
        "orleansnodes.node.request.stage", "s", "A replied request's time at the node, by stage: queued, batch (step and flush of the batch that took it in), waiting (for the peers), reply (step and flush of the batch that replied)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });

    /// <summary>A peer message's time at the node that received it: arrival to the release of the batch that stepped it.</summary>
    public static readonly Histogram<double> MessageTurnaround = Meter.CreateHistogram<double>(
        "orleansnodes.node.message.turnaround", "s", "A peer message's time at the receiving node, from arrival to the release of the batch that stepped it (queueing, step and flush)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });

    /// <summary>Flushes written to storage.</summary>
    public static readonly Counter<long> StorageWrites = Meter.CreateCounter<long>("orleansnodes.node.storage.writes", "{write}", "Flushes written to the node store");

    /// <summary>Bytes written to storage.</summary>
    public static readonly Counter<long> StorageBytes = Meter.CreateCounter<long>("orleansnodes.node.storage.written", "By", "Bytes written to the node store");

    /// <summary>Writes refused because another activation of the node wrote since (the writer stops).</summary>
    public static readonly Counter<long> StaleWrites = Meter.CreateCounter<long>("orleansnodes.node.storage.stale_writes", "{write}", "Writes refused because a newer activation of the node wrote first");

    /// <summary>Peer messages a node sent.</summary>
    public static readonly Counter<long> MessagesSent = Meter.CreateCounter<long>("orleansnodes.node.messages.sent", "{message}", "Peer messages sent, after the batch that produced them persisted");

    /// <summary>Peer messages a node accepted into its inbox.</summary>
    public static readonly Counter<long> MessagesReceived = Meter.CreateCounter<long>("orleansnodes.node.messages.received", "{message}", "Peer messages received into the inbox");

    /// <summary>Inputs waiting in a node's inbox.</summary>
    public static readonly UpDownCounter<long> Inbox = Meter.CreateUpDownCounter<long>("orleansnodes.node.inbox", "{input}", "Inputs waiting to be stepped");

    /// <summary>Times a node started to lead (the protocol's <c>Inspect</c> turned <c>Leading</c> true): leader changes, summed over a cluster.</summary>
    public static readonly Counter<long> LeaderChanges = Meter.CreateCounter<long>("orleansnodes.node.leader_changes", "{change}", "Times the node became leader");

    /// <summary>A gateway's client requests, from arrival to answer, by outcome.</summary>
    public static readonly Histogram<double> RequestDuration = Meter.CreateHistogram<double>(
        "orleansnodes.gateway.request.duration", "s", "Client requests at a silo's gateway, from arrival to answer, by outcome (ok, unknown, rejected)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    /// <summary>Redirects a gateway followed (a node pointing at the leader).</summary>
    public static readonly Counter<long> Redirects = Meter.CreateCounter<long>("orleansnodes.gateway.redirects", "{redirect}", "Redirects followed by gateways: a node that is not the leader pointed elsewhere");
}
