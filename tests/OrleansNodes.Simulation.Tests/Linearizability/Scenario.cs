using OrleansNodes.Simulation.Linearizability;

namespace OrleansNodes.Simulation.Tests.Linearizability;

/// <summary>
/// Writes a history the way a paper draws one: each line an operation, its client, and the
/// interval [invoke, complete] it occupied (<c>null</c> complete: the client timed out).
/// </summary>
internal sealed class Scenario
{
    private readonly List<Operation> _operations = [];

    public Scenario Get(int client, string key, string? read, long invoke, long complete) =>
        Add(client, Command.Get(key), invoke, complete, OperationResult.Read(read));

    public Scenario Put(int client, string key, string value, long invoke, long? complete) =>
        Add(client, Command.Put(key, value), invoke, complete, Known(complete));

    public Scenario Delete(int client, string key, long invoke, long? complete) =>
        Add(client, Command.Delete(key), invoke, complete, Known(complete));

    public Scenario Append(int client, string key, string value, long invoke, long? complete) =>
        Add(client, Command.Append(key, value), invoke, complete, Known(complete));

    public Scenario Cas(int client, string key, string? expected, string value, long invoke, long? complete, bool swapped = true) =>
        Add(client, Command.Cas(key, expected, value), invoke, complete,
            complete is null ? OperationResult.Unknown : swapped ? OperationResult.Ok : OperationResult.Failed);

    public History Build() => new(_operations);

    public CheckResult Check(IModel? model = null) => LinearizabilityChecker.Check(Build(), model ?? KeyValueModel.Instance);

    private static OperationResult Known(long? complete) => complete is null ? OperationResult.Unknown : OperationResult.Ok;

    private Scenario Add(int client, Command command, long invoke, long? complete, OperationResult result)
    {
        _operations.Add(new Operation(_operations.Count, new ClientId(client), command, invoke, complete, result));
        return this;
    }
}
