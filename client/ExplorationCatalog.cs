using OrleansNodes.Protocols.FailureDetector;
using OrleansNodes.Protocols.KeyValue;
using OrleansNodes.Protocols.Paxos;
using OrleansNodes.Simulation;
using OrleansNodes.Workloads;

namespace OrleansNodes.Client;

/// <summary>
/// The shipped protocols as <c>orleansnodes explore</c> runs them: settings whose timers fire
/// after a tick or two (an exhaustive search pays for every tick with a level of depth), and the
/// clients of <see cref="ExplorationScripts"/>.
/// </summary>
public static class ExplorationCatalog
{
    /// <summary>One protocol's exhaustive-search setup.</summary>
    /// <param name="Name">The protocol's name, as in <see cref="ProtocolCatalog"/>.</param>
    /// <param name="Create">The simulator with exploration settings and clients.</param>
    /// <param name="DefaultClients">Clients when <c>--clients</c> is not given.</param>
    /// <param name="DefaultTicks">Ticks per node when <c>--ticks</c> is not given.</param>
    /// <param name="Settings">The settings, as printed in the summary.</param>
    public sealed record Entry(string Name, Func<ISimulation> Create, int DefaultClients, int DefaultTicks, string Settings);

    /// <summary>Paxos as Stateright's <c>paxos</c> example checks it: clients propose, no timers.</summary>
    public static readonly PaxosSettings PaxosSettings = new(ProposeOnStart: false, RetryTicksMin: 1, RetryTicksMax: 2);

    /// <summary>The store with elections after one or two silent ticks and heartbeats every tick.</summary>
    public static readonly KeyValueSettings KeyValueSettings = KeyValueSettings.SmallWindows with
    {
        ElectionTimeoutTicksMin = 1,
        ElectionTimeoutTicksMax = 2,
        HeartbeatIntervalTicks = 1,
    };

    /// <summary>The detector with a heartbeat every tick and suspicion after three silent ones.</summary>
    public static readonly FailureDetectorSettings FailureDetectorSettings = new(HeartbeatIntervalTicks: 1, SuspectAfterTicks: 3);

    /// <summary>Every protocol <c>explore</c> knows.</summary>
    public static IReadOnlyList<Entry> All { get; } =
    [
        new("paxos", () => Simulator.Create(new SingleDecreePaxos(), PaxosSettings).WithExplorationClients(ExplorationScripts.Paxos), 3, 0,
            "clients propose, retry after 1-2 ticks"),
        new("failure-detector", () => Simulator.Create(new HeartbeatFailureDetector(), FailureDetectorSettings), 0, 4,
            "heartbeat every tick, suspect after 3 silent ticks"),
        new("kv", () => Simulator.Create(new KeyValueProtocol(), KeyValueSettings).WithExplorationClients(ExplorationScripts.KeyValue), 2, 3,
            "elections after 1-2 silent ticks, heartbeat every tick"),
    ];

    /// <summary>The entry for <paramref name="name"/>, or a bad-input error listing the known ones.</summary>
    public static Entry Find(string name) =>
        All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw CliException.BadInput($"unknown protocol '{name}'{DidYouMean.Hint(name, All.Select(e => e.Name))} (known: {string.Join(", ", All.Select(e => e.Name))})");
}
