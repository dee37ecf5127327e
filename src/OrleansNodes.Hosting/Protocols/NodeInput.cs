using OrleansNodes.Core;

namespace OrleansNodes.Hosting.Protocols;

/// <summary>The kind of a <see cref="NodeInput"/>.</summary>
internal enum NodeInputKind : byte
{
    Message,
    Tick,
    Request,
}

/// <summary>
/// An input waiting in a node grain's inbox, before the protocol's typed
/// <see cref="Input{TMessage, TRequest}"/> is built from it. A struct, so a queue of them does
/// not allocate per tick. <see cref="Arrived"/> is the <see cref="System.Diagnostics.Stopwatch"/>
/// timestamp a peer message arrived at, when its time at the node is measured, else 0.
/// </summary>
internal readonly record struct NodeInput(NodeInputKind Kind, NodeId From, object? Payload, ClientId Client, long Sequence, long Arrived = 0)
{
    public static NodeInput Tick => new(NodeInputKind.Tick, default, null, default, 0);

    public static NodeInput Message(NodeId from, object message, long arrived) => new(NodeInputKind.Message, from, message, default, 0, arrived);

    public static NodeInput Request(ClientId client, long sequence, object command) => new(NodeInputKind.Request, default, command, client, sequence);
}
