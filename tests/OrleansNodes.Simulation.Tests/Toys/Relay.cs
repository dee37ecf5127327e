namespace OrleansNodes.Simulation.Tests.Toys;

/// <summary>
/// n0 numbers its messages 1, 2, 3, ... (one per tick, to every peer); the others remember the
/// last number they received. "received in order" holds exactly when the network delivers in
/// send order, which makes it a probe for FIFO delivery and for reordering faults. Requests are
/// answered with the node's tick count.
/// </summary>
internal sealed class Relay : Protocol<Unit, RelayState, RelayMessage, string, int>
{
    public override string Name => "relay";

    public override IReadOnlyList<Property<RelayState>> Properties { get; } =
    [
        Property.Always<RelayState>("received in order", o => o.States.All(s => !s.OutOfOrder)),
        Property.Sometimes<RelayState>("a peer received 5", o => o.States.Any(s => s.Last >= 5)),
    ];

    public override RelayState Init(NodeConfig<Unit> config) => new(0, 0, 0, 0, false);

    public override RelayState Step(StepContext<Unit, RelayMessage, int> context, RelayState state, Input<RelayMessage, string> input) =>
        input switch
        {
            Input<RelayMessage, string>.Tick => OnTick(context, state),
            Input<RelayMessage, string>.Receive { Message: RelayMessage.Number number } => OnNumber(state, number),
            Input<RelayMessage, string>.Request request => OnRequest(context, state, request),
            _ => state,
        };

    private static RelayState OnTick(StepContext<Unit, RelayMessage, int> context, RelayState state)
    {
        if (context.Self.Value != 0) return state with { Ticks = state.Ticks + 1 };
        context.Broadcast(new RelayMessage.Number(state.Sent + 1));
        return state with { Ticks = state.Ticks + 1, Sent = state.Sent + 1 };
    }

    private static RelayState OnNumber(RelayState state, RelayMessage.Number number) =>
        state with { Received = state.Received + 1, Last = number.Value, OutOfOrder = state.OutOfOrder || number.Value <= state.Last };

    private static RelayState OnRequest(StepContext<Unit, RelayMessage, int> context, RelayState state, Input<RelayMessage, string>.Request request)
    {
        context.Reply(request.Client, request.Sequence, state.Ticks);
        return state;
    }
}

internal sealed record Unit
{
    public static readonly Unit Value = new();
}

internal sealed record RelayState(int Ticks, int Sent, int Received, int Last, bool OutOfOrder);

internal abstract record RelayMessage
{
    public sealed record Number(int Value) : RelayMessage;
}
