using OrleansNodes.Protocols.FailureDetector;
using OrleansNodes.Protocols.KeyValue;
using OrleansNodes.Protocols.Paxos;
using OrleansNodes.Simulation;
using OrleansNodes.Workloads;

namespace OrleansNodes.Client;

/// <summary>
/// The protocols the console can simulate, by name, each with the simulator options its
/// properties need (a failure detector's crashed nodes must stay down to be detected).
/// </summary>
public static class ProtocolCatalog
{
    /// <summary>One simulatable protocol.</summary>
    /// <param name="Name">The protocol's name, as on the command line.</param>
    /// <param name="Summary">One line for the help text.</param>
    /// <param name="Create">Makes the simulator, with simulated clients when the protocol has them and they were asked for.</param>
    /// <param name="Adjust">Options the protocol needs on top of what the user chose.</param>
    /// <param name="DefaultClients">Simulated clients when <c>--clients</c> is not given; zero for protocols without clients.</param>
    public sealed record Entry(string Name, string Summary, Func<ClientLoad?, ISimulation> Create, Func<SimulationOptions, SimulationOptions> Adjust, int DefaultClients = 0)
    {
        /// <summary>Whether the protocol ships simulated clients.</summary>
        public bool HasClients => DefaultClients > 0;
    }

    /// <summary>Simulated clients asked for on the command line.</summary>
    /// <param name="Clients">Number of clients.</param>
    /// <param name="OperationsPerClient">Operations each client completes per run.</param>
    /// <param name="Keys">Keys the operations spread over.</param>
    public sealed record ClientLoad(int Clients, int OperationsPerClient, int Keys)
    {
        /// <summary>
        /// The load a schedule's recorded workload describes, or null when it recorded none
        /// (a run without clients, or a file from before schedules recorded them).
        /// </summary>
        public static ClientLoad? Of(Schedule schedule)
        {
            ArgumentNullException.ThrowIfNull(schedule);
            if (schedule.Workload is not { } spec) return null;
            try
            {
                if (spec.Kind != KeyValueClients.Kind) throw new FormatException($"unknown workload '{spec.Kind}' (known: {KeyValueClients.Kind})");
                return new ClientLoad(spec.Int("clients", 3), spec.Int("operationsPerClient", 8), spec.Int("keys", 2));
            }
            catch (FormatException e)
            {
                throw CliException.BadInput($"{schedule.Source ?? "schedule"}: {e.Message}");
            }
        }
    }

    /// <summary>
    /// The simulator that replays <paramref name="schedule"/>: its protocol, with the clients it
    /// recorded (a key-value counterexample without its clients' requests is another run).
    /// </summary>
    public static ISimulation ForReplay(Schedule schedule)
    {
        // The explorer's counterexamples name its settings and its scripted clients.
        if (schedule.Model == ScheduleModel.Explored) return ExplorationCatalog.Find(schedule.Protocol).Create();
        var entry = Find(schedule.Protocol);
        var load = ClientLoad.Of(schedule);
        if (load is not null && !entry.HasClients)
            throw CliException.BadInput($"{schedule.Source ?? "schedule"}: protocol '{entry.Name}' has no simulated clients, but the schedule records {schedule.Workload}");
        return entry.Create(load);
    }

    /// <summary>Every protocol, in help order.</summary>
    public static IReadOnlyList<Entry> All { get; } =
    [
        new("paxos", "single-decree Paxos: every node proposes, one value is chosen",
            _ => Simulator.Create(new SingleDecreePaxos(), PaxosSettings.Default),
            o => o),
        new("failure-detector", "the heartbeat failure detector: suspect a peer after K silent ticks",
            _ => Simulator.Create(new HeartbeatFailureDetector(), FailureDetectorSettings.Default),
            o => o with { RestartCrashedForLiveness = false }),
        new("kv", "the replicated key-value store on Multi-Paxos",
            load => load is null
                ? Simulator.Create(new KeyValueProtocol(), KeyValueSettings.SmallWindows)
                : Simulator.Create(new KeyValueProtocol(), KeyValueSettings.SmallWindows).WithWorkload(KeyValueClients.Factory(load.Clients, load.OperationsPerClient, load.Keys)),
            o => o,
            DefaultClients: 3),
    ];

    /// <summary>The names, comma separated, for error messages.</summary>
    public static string Names => string.Join(", ", All.Select(e => e.Name));

    /// <summary>Finds a protocol by name; the error names the known ones.</summary>
    public static Entry Find(string name) =>
        All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw CliException.BadInput($"unknown protocol '{name}'{DidYouMean.Hint(name, All.Select(e => e.Name))} (known: {Names})");
}
