namespace OrleansNodes.Simulation.Tests.Toys;

/// <summary>
/// Every node says hello to every peer on every tick and remembers whom it has heard. Once the
/// network heals, everyone hears everyone: "everyone heard everyone" is its liveness goal. A
/// mute variant never speaks, so that goal can never come true. Extra properties can be added
/// per test (goals that are never reached, properties that throw, ...).
/// </summary>
internal sealed class Gossip(bool mute = false, params Property<GossipState>[] extra) : Protocol<Unit, GossipState, GossipMessage, string, string>
{
    public override string Name => mute ? "mute-gossip" : "gossip";

    public override IReadOnlyList<Property<GossipState>> Properties { get; } =
    [
        Property.Eventually<GossipState>("everyone heard everyone", EveryoneHeardEveryone),
        .. extra,
    ];

    public override GossipState Init(NodeConfig<Unit> config) => new(0, 0);

    public override GossipState Step(StepContext<Unit, GossipMessage, string> context, GossipState state, Input<GossipMessage, string> input) =>
        input switch
        {
            Input<GossipMessage, string>.Tick => OnTick(context, state),
            Input<GossipMessage, string>.Receive receive => OnHello(state, receive.From),
            _ => state,
        };

    private GossipState OnTick(StepContext<Unit, GossipMessage, string> context, GossipState state)
    {
        if (!mute) context.Broadcast(new GossipMessage.Hello());
        return state with { Ticks = state.Ticks + 1 };
    }

    private static GossipState OnHello(GossipState state, NodeId from)
    {
        var heard = state.Heard | (1L << from.Value);
        return heard == state.Heard ? state : state with { Heard = heard };
    }

    private static bool EveryoneHeardEveryone(Observation<GossipState> observation)
    {
        var all = (1L << observation.Count) - 1;
        for (var i = 0; i < observation.Count; i++)
            if ((observation.States[i].Heard | (1L << i)) != all) return false;
        return true;
    }
}

internal sealed record GossipState(int Ticks, long Heard);

internal abstract record GossipMessage
{
    public sealed record Hello : GossipMessage;
}
