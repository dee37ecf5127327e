using OrleansNodes.Core;
using MaxContext = OrleansNodes.Core.StepContext<Examples.MaxGossip.MaxSettings, Examples.MaxGossip.MaxMessage, Examples.MaxGossip.MaxReply>;
using MaxInput = OrleansNodes.Core.Input<Examples.MaxGossip.MaxMessage, Examples.MaxGossip.MaxCommand>;

namespace Examples.MaxGossip;

/// <summary>
/// Max gossip: every node starts with a value (ten times its index), learns larger ones from
/// clients and peers, and every few ticks tells everyone the largest it knows. Eventually every
/// node knows the largest value ever offered.
/// </summary>
public sealed class MaxGossip : Protocol<MaxSettings, MaxState, MaxMessage, MaxCommand, MaxReply>
{
    public override string Name => "max-gossip";

    public override MaxState Init(NodeConfig<MaxSettings> config) =>
        new(config.Self.Value * 10, TickTimer.Start(config.Settings.GossipEveryTicks));

    public override MaxState Step(MaxContext context, MaxState state, MaxInput input) => input switch
    {
        MaxInput.Tick => OnTick(context, state),
        MaxInput.Receive { Message: MaxMessage.Gossip gossip } => Raise(state, gossip.Value),
        MaxInput.Request { Command: MaxCommand.Offer offer } request => Answer(context, request, Raise(state, offer.Value)),
        MaxInput.Request { Command: MaxCommand.Read } request => Answer(context, request, state),
        _ => state,
    };

    public override IReadOnlyList<Property<MaxState>> Properties => MaxProperties.All;

    // Only the value must survive a crash: the gossip timer is volatile, so a tick writes nothing.
    public override object HardState(MaxState state) => state.Value;

    // A restarted node keeps its value and starts a fresh gossip timer.
    public override MaxState Recover(NodeConfig<MaxSettings> config, DurableImage image)
    {
        var fresh = Init(config);
        return image.Hard is int value ? fresh with { Value = value } : fresh;
    }

    private static MaxState OnTick(MaxContext context, MaxState state)
    {
        var timer = state.Gossip.Advance();
        if (!timer.IsExpired) return state with { Gossip = timer };
        context.Broadcast(new MaxMessage.Gossip(state.Value));
        return state with { Gossip = timer.Restart() };
    }

    // A step that changes nothing returns the same instance: hosts then skip the write.
    private static MaxState Raise(MaxState state, int value) =>
        value > state.Value ? state with { Value = value } : state;

    private static MaxState Answer(MaxContext context, MaxInput.Request request, MaxState state)
    {
        context.Reply(request.Client, request.Sequence, new MaxReply(state.Value));
        return state;
    }
}
