namespace OrleansNodes.Simulation.Linearizability;

/// <summary>
/// <paramref name="model"/> for one key whose value before the history is <paramref name="initial"/>
/// (<see cref="History.Initial"/>): the same steps from another starting state.
/// </summary>
internal sealed class InitialValueModel(IModel model, string? initial) : IModel
{
    /// <inheritdoc/>
    public string Name => model.Name;

    /// <inheritdoc/>
    public string? Initial => initial;

    /// <inheritdoc/>
    public string? Unsupported(Command command) => model.Unsupported(command);

    /// <inheritdoc/>
    public bool TryStep(string? state, Operation operation, out string? next) => model.TryStep(state, operation, out next);

    /// <inheritdoc/>
    public override string ToString() => $"{model} from {Command.Quote(initial)}";
}
