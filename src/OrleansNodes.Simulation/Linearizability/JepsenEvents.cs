namespace OrleansNodes.Simulation.Linearizability;

/// <summary>
/// Pairs Jepsen-style events into operations: each process invokes one operation at a time and
/// later completes it. Shared by the log readers, which differ only in how a line names its
/// process, operation and value. Operations still open at the end keep an unknown outcome.
/// </summary>
internal sealed class JepsenEvents
{
    private readonly List<Operation?> _operations = [];
    private readonly Dictionary<long, int> _open = [];

    /// <summary>Opens <paramref name="command"/> for <paramref name="process"/>, invoked at <paramref name="position"/>.</summary>
    public void Invoke(long process, Command command, long position, Func<string, HistoryFormatException> error)
    {
        if (_open.TryGetValue(process, out var previous))
            throw error($"process {process} invokes while its operation from line {_operations[previous]!.Invoke} is still open");
        _open[process] = _operations.Count;
        _operations.Add(new Operation(_operations.Count, new ClientId(process), command, position, null, OperationResult.Unknown));
    }

    /// <summary>The operation <paramref name="process"/> completes now, closed; <see cref="Resolve"/> records how it ended.</summary>
    public (int Index, Operation Invoked) Complete(long process, Func<string, HistoryFormatException> error)
    {
        if (!_open.Remove(process, out var index))
            throw error($"process {process} completes an operation it never invoked");
        return (index, _operations[index]!);
    }

    /// <summary>Replaces the operation at <paramref name="index"/> with how it ended; null when it did not happen.</summary>
    public void Resolve(int index, Operation? ended) => _operations[index] = ended;

    /// <summary>The operations that happened or may have happened.</summary>
    public History ToHistory() => new(_operations.OfType<Operation>());
}
