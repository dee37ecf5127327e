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
        return new Simulator<TSettings, TState, TMessage, TRequest, TReply>(_protocol, _settings, _workload) { _explorationClients = clients };
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
        return explorer.Run(progress, cancellation);
    }
}
