namespace OrleansNodes.Hosting.Storage;

/// <summary>
/// A write was refused because the node's stored version is not the one the writer expected:
/// another activation of the node wrote first. The writer must stop without sending anything
/// of the batch (DESIGN.md: the stale one of two activations fails its write and stops).
/// </summary>
public sealed class StaleWriteException(string message) : Exception(message);
