namespace OrleansNodes.Simulation.Tests.Toys;

/// <summary>
/// The smallest model worth counting: on its first tick a node sends one ping to the other node,
/// which notes that it was pinged. With two nodes and one tick each, each direction is in one of
/// three places (not sent, in flight, delivered), so there are 3 x 3 = 9 states, and 6 when the
/// two nodes are interchangeable.
/// </summary>
/// <param name="checkBothPinged">Add the invariant "not both pinged", which breaks after 4 actions.</param>
/// <param name="checkBothSentWhileCut">Add the invariant "not both sent while their link is cut", which only a partition breaks.</param>
internal sealed class Ping(bool checkBothPinged = false, bool checkBothSentWhileCut = false) : Protocol<Unit, PingState, string, string, string>
{
    public override string Name => "ping";

    public override bool NodesAreInterchangeable => true;

    public override IReadOnlyList<Property<PingState>> Properties =>
        checkBothPinged ? [Property.Always<PingState>("not both pinged", o => !o.States.All(s => s.Pinged)), BothPinged]
        : checkBothSentWhileCut ? [Property.Always<PingState>("not both sent while cut", o => !(o.States.All(s => s.Sent) && !o.CanReach(new NodeId(0), new NodeId(1)))), BothPinged]
        : [BothPinged];

    private static Property<PingState> BothPinged { get; } = Property.Sometimes<PingState>("both pinged", o => o.States.All(s => s.Pinged));

    public override PingState Init(NodeConfig<Unit> config) => new(false, false);

    public override PingState Step(StepContext<Unit, string, string> context, PingState state, Input<string, string> input)
    {
        switch (input)
        {
            case Input<string, string>.Tick when !state.Sent:
                context.Broadcast("ping");
                return state with { Sent = true };
            case Input<string, string>.Receive:
                return state.Pinged ? state : state with { Pinged = true };
            default:
                return state;
        }
    }
}

internal sealed record PingState(bool Sent, bool Pinged);
