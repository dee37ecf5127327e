namespace OrleansNodes.Simulation.Linearizability;

/// <summary>
/// A key-value store with get, put, delete, compare-and-set and append. Following Jepsen's
/// key-value tests, an absent key reads as the empty string, so a get that returned "not found"
/// (<c>null</c>) and one that returned <c>""</c> mean the same, delete is indistinguishable
/// from put <c>""</c>, a cas expecting <c>null</c> or <c>""</c> succeeds on an absent key, and
/// append to an absent key starts from <c>""</c>.
/// </summary>
public sealed class KeyValueModel : IModel
{
    /// <summary>The one instance; the model has no parameters.</summary>
    public static KeyValueModel Instance { get; } = new();

    private KeyValueModel() { }

    /// <inheritdoc/>
    public string Name => "key-value";

    /// <inheritdoc/>
    public string? Initial => "";

    /// <inheritdoc/>
    public string? Unsupported(Command command) => null;

    /// <inheritdoc/>
    public bool TryStep(string? state, Operation operation, out string? next)
    {
        var current = state ?? "";
        var command = operation.Command;
        var outcome = operation.Result.Outcome;
        next = current;
        switch (command.Kind)
        {
            case OperationKind.Get:
                return outcome == Outcome.Unknown || string.Equals(operation.Result.ReadValue ?? "", current, StringComparison.Ordinal);
            case OperationKind.Put:
                next = command.Value;
                return true;
            case OperationKind.Delete:
                next = "";
                return true;
            case OperationKind.Append:
                next = current + command.Value;
                return true;
            case OperationKind.Cas:
                var matches = string.Equals(command.Expected ?? "", current, StringComparison.Ordinal);
                if (matches) next = command.Value;
                return outcome == Outcome.Unknown || matches == (outcome == Outcome.Ok);
            default:
                return false;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
