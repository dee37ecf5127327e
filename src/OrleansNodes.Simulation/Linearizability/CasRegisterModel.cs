namespace OrleansNodes.Simulation.Linearizability;

/// <summary>
/// The compare-and-set register of Jepsen's etcd test: read (<see cref="OperationKind.Get"/>),
/// write (<see cref="OperationKind.Put"/>) and cas, starting from nil (<c>null</c>). Unlike
/// <see cref="KeyValueModel"/>, nil and <c>""</c> are different values, and a register cannot
/// be deleted or appended to.
/// </summary>
public sealed class CasRegisterModel : IModel
{
    /// <summary>The one instance; the model has no parameters.</summary>
    public static CasRegisterModel Instance { get; } = new();

    private CasRegisterModel() { }

    /// <inheritdoc/>
    public string Name => "cas-register";

    /// <inheritdoc/>
    public string? Initial => null;

    /// <inheritdoc/>
    public string? Unsupported(Command command) =>
        command.Kind is OperationKind.Get or OperationKind.Put or OperationKind.Cas
            ? null
            : $"the {Name} model has no {command.Verb}";

    /// <inheritdoc/>
    public bool TryStep(string? state, Operation operation, out string? next)
    {
        var command = operation.Command;
        var outcome = operation.Result.Outcome;
        next = state;
        switch (command.Kind)
        {
            case OperationKind.Get:
                return outcome == Outcome.Unknown || string.Equals(operation.Result.ReadValue, state, StringComparison.Ordinal);
            case OperationKind.Put:
                next = command.Value;
                return true;
            case OperationKind.Cas:
                var matches = string.Equals(command.Expected, state, StringComparison.Ordinal);
                if (matches) next = command.Value;
                return outcome == Outcome.Unknown || matches == (outcome == Outcome.Ok);
            default:
                return false;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
