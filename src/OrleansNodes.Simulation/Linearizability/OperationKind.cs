namespace OrleansNodes.Simulation.Linearizability;

/// <summary>
/// The five key-value commands a history can record. The etcd compare-and-set register speaks
/// the same vocabulary: its read is <see cref="Get"/>, its write <see cref="Put"/>.
/// </summary>
public enum OperationKind
{
    /// <summary>Reads a key.</summary>
    Get,

    /// <summary>Sets a key to a value.</summary>
    Put,

    /// <summary>Removes a key.</summary>
    Delete,

    /// <summary>Sets a key to a new value if it currently holds the expected one.</summary>
    Cas,

    /// <summary>Concatenates a value to the key's current value.</summary>
    Append,
}
