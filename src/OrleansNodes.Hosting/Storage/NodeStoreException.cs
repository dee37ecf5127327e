namespace OrleansNodes.Hosting.Storage;

/// <summary>
/// A node store could not read or write (its server is down, a connection broke, what it holds is
/// damaged): the backend's own exception, reduced to its message. Backend exception types (a
/// StackExchange.Redis or Azure SDK exception) cannot cross grain calls to clients, which know no
/// codec for them; this one can, so a caller gets one clear line instead of a serialization failure.
/// </summary>
[GenerateSerializer, Alias("on.hosting.NodeStoreException")]
public sealed class NodeStoreException : IOException
{
    /// <summary>A failure described by <paramref name="message"/>.</summary>
    public NodeStoreException(string message) : base(message) { }
}
