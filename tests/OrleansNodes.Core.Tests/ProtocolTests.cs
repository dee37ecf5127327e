namespace OrleansNodes.Core.Tests;

public class ProtocolTests
{
    /// <summary>Counts ticks and echoes requests: the smallest protocol that uses every effect.</summary>
    private sealed class Counter : Protocol<int, CounterState, string, string, string>
    {
        public override string Name => "counter";

        public override CounterState Init(NodeConfig<int> config) => new(0);

        public override CounterState Step(StepContext<int, string, string> context, CounterState state, Input<string, string> input) =>
            input switch
            {
                Input<string, string>.Tick => state with { Ticks = state.Ticks + 1 },
                Input<string, string>.Request r => Echo(context, state, r),
                _ => state,
            };

        private static CounterState Echo(StepContext<int, string, string> context, CounterState state, Input<string, string>.Request request)
        {
            context.Broadcast(request.Command);
            context.Reply(request.Client, request.Sequence, request.Command + "!");
            return state;
        }
    }

    private sealed record CounterState(int Ticks);

    [Fact]
    public void Run_Request_ReturnsStateAndOutbox()
    {
        var protocol = new Counter();
        var config = NodeConfig<int>.Cluster(2, 0, 1)[0];
        var state = protocol.Init(config);
        var result = protocol.Run(config, state, new Input<string, string>.Request(new ClientId(1), 3, "hi"));
        Assert.Same(state, result.State);
        Assert.Equal(new ClientReply<string>(new ClientId(1), 3, "hi!"), Assert.Single(result.Outbox.Replies));
        Assert.Equal(new NodeId(1), Assert.Single(result.Outbox.Sends).To);
    }

    [Fact]
    public void Run_Tick_ChangesOnlyState()
    {
        var protocol = new Counter();
        var config = NodeConfig<int>.Cluster(2, 0, 1)[0];
        var result = protocol.Run(config, protocol.Init(config), Input<string, string>.Tick.Instance);
        Assert.Equal(1, result.State.Ticks);
        Assert.True(result.Outbox.IsEmpty);
    }

    [Fact]
    public void Monitor_GhostState_RemembersWhatStatesForget()
    {
        // A ghost that remembers the largest tick count ever seen, even after a node "forgets" it.
        var property = Property.Monitor<CounterState, int>(
            "never goes back", PropertyKind.Always, 0,
            (max, o) => Math.Max(max, o.States.Max(s => s.Ticks)),
            (max, o) => o.States.Max(s => s.Ticks) >= max);
        var check = property.Start();
        bool[] up = [true];
        Assert.True(check.Holds(new Observation<CounterState>([new CounterState(5)], up, null, null, 0, 0, 0)));
        Assert.False(check.Holds(new Observation<CounterState>([new CounterState(2)], up, null, null, 1, 0, 0)));
        Assert.True(property.Start().Holds(new Observation<CounterState>([new CounterState(2)], up, null, null, 0, 0, 0)));
    }

    [Fact]
    public void NodeIdTryParse_AcceptsBothForms()
    {
        Assert.True(NodeId.TryParse("n3", out var a));
        Assert.True(NodeId.TryParse("3", out var b));
        Assert.Equal(a, b);
        Assert.False(NodeId.TryParse("x3", out _));
        Assert.False(NodeId.TryParse("-1", out _));
    }
}
