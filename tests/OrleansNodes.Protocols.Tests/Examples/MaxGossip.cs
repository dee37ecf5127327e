// The worked example of docs/authoring-protocols.md. The guide quotes this file; a test checks
// that every quoted block still appears here verbatim, so the guide cannot drift from code that
// compiles and passes.
using MaxInput = OrleansNodes.Core.Input<OrleansNodes.Protocols.Tests.Examples.MaxMessage, OrleansNodes.Protocols.Tests.Examples.MaxCommand>;
using MaxContext = OrleansNodes.Core.StepContext<OrleansNodes.Protocols.Tests.Examples.MaxSettings, OrleansNodes.Protocols.Tests.Examples.MaxMessage, OrleansNodes.Protocols.Tests.Examples.MaxReply>;

namespace OrleansNodes.Protocols.Tests.Examples;

// region: messages
/// <summary>Peer messages: a node tells the others the largest value it knows.</summary>
public abstract record MaxMessage
{
    private MaxMessage() { }

    /// <summary>"The largest value I know is <paramref name="Value"/>."</summary>
    public sealed record Gossip(int Value) : MaxMessage;
}

/// <summary>Client commands.</summary>
public abstract record MaxCommand
{
    private MaxCommand() { }

    /// <summary>Offer a value; the cluster keeps the largest.</summary>
    public sealed record Offer(int Value) : MaxCommand;

    /// <summary>Ask for the largest value this node knows.</summary>
    public sealed record Read : MaxCommand;
}

/// <summary>Client replies.</summary>
public sealed record MaxReply(int Value);
// endregion

// region: state
/// <summary>How often a node gossips, in ticks.</summary>
public sealed record MaxSettings(int GossipEveryTicks);

/// <summary>One node's state: the largest value it knows, and ticks until it gossips again.</summary>
public sealed record MaxState(int Value, TickTimer Gossip);
// endregion

// region: protocol
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
// endregion

// region: properties
/// <summary>Max gossip's properties.</summary>
public static class MaxProperties
{
    public static readonly IReadOnlyList<Property<MaxState>> All =
    [
        // Safety, checked after every step: a step never lowers a node's value.
        Property.Always<MaxState>("a node's value never decreases", o =>
            o.Before is null || o.After!.Value >= o.Before.Value),

        // A goal: some run must see a value travel, or the suite proves nothing.
        Property.Sometimes<MaxState>("a node learned a larger value", o =>
            o.Before is not null && o.After!.Value > o.Before.Value),

        // Liveness, judged after the network heals: every up node knows the largest value.
        Property.Eventually<MaxState>("every up node knows the largest value", o =>
        {
            var largest = 0;
            for (var i = 0; i < o.Count; i++) largest = Math.Max(largest, o.States[i].Value);
            for (var i = 0; i < o.Count; i++)
                if (o.Up[i] && o.States[i].Value != largest) return false;
            return true;
        }),
    ];
}
// endregion
