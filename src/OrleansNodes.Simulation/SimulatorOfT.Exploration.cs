using OrleansNodes.Simulation.Exploration;

namespace OrleansNodes.Simulation;

/// <summary>The simulator's exhaustive mode: the same protocol and node loop, every interleaving within bounds.</summary>
public sealed partial class Simulator<TSettings, TState, TMessage, TRequest, TReply>
{
    private ExplorationClients<TRequest, TReply>? _explorationClients;

    /// <summary>A simulator whose explorations drive <paramref name="clients"/> (see <see cref="ExplorationOptions.Clients"/>).</summary>
    public Simulator<TSettings, TState, TMessage, TRequest, TReply> WithExplorationClients(ExplorationClients<TRequest, TReply> clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        return new Simulator<TSettings, TState, TMessage, TRequest, TReply>(_protocol, _settings, _workload, _workloadFactory) { _explorationClients = clients };
    }

    /// <inheritdoc/>
    public ExplorationReport Explore(ExplorationOptions options, IProgress<ExplorationProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.Clients > 0 && _explorationClients is null)
            throw new ArgumentException($"{Protocol} has no clients for exploration; explore it with 0 clients", nameof(options));
        if (options.Symmetry && !_protocol.NodesAreInterchangeable)
            throw new ArgumentException($"{Protocol} does not declare its nodes interchangeable, so symmetry reduction would be unsound", nameof(options));
        var explorer = new Explorer<TSettings, TState, TMessage, TRequest, TReply>(_protocol, _settings, options, _explorationClients);
        var report = explorer.Run(progress, cancellation);
        return report.Violation is { } violation ? report with { Violation = violation with { Schedule = ScheduleOf(options, violation) } } : report;
    }

    /// <summary>
    /// The counterexample as a schedule <c>sim --replay</c> replays: the explored model (each step
    /// followed by its own flush, rounds only where every node has ticked once more), the node
    /// seed, the faults the search could inject, and the clients as <c>explorer-clients</c>.
    /// </summary>
    private Schedule ScheduleOf(ExplorationOptions options, ExplorationViolation violation)
    {
        var faults = (options.MaxDrops > 0 ? FaultKinds.Drop : FaultKinds.None)
            | (options.MaxDuplicates > 0 ? FaultKinds.Duplicate : FaultKinds.None)
            | (options.MaxCrashes > 0 ? FaultKinds.Crash : FaultKinds.None)
            | (options.MaxPartitions > 0 ? FaultKinds.Partition : FaultKinds.None);
        return new Schedule
        {
            Protocol = Protocol,
            Seed = options.Seed,
            Options = SimulationOptions.Default with
            {
                Nodes = options.Nodes,
                Faults = faults,
                LivenessRounds = violation.Kind == PropertyKind.Eventually ? options.LivenessRounds : 0,
                CheckRecovery = options.CheckRecovery,
                MaxCrashedNodes = Math.Max(1, (options.Nodes - 1) / 2),
                Shrink = false,
            },
            Decisions = violation.Decisions,
            Property = violation.Property,
            Settings = SettingsText,
            Workload = options.Clients > 0 && _explorationClients is { } clients ? clients.Workload(options.Clients, options.OperationsPerClient, options.MaxRedirects, options.MaxRetries).Spec : null,
            Model = ScheduleModel.Explored,
        };
    }
}
