namespace OrleansNodes.Simulation.Tests.Toys;

/// <summary>
/// Leader election with a planted bug: a node whose timer expires simply declares itself leader
/// of the next term, without collecting votes. Two nodes that time out from the same term
/// become two leaders of one term, which "one leader per term" catches; the simulator must
/// find it, shrink it and replay it.
/// </summary>
internal sealed class Election : Protocol<ElectionSettings, ElectionState, ElectionMessage, string, string>
{
    public override string Name => "election";

    public override IReadOnlyList<Property<ElectionState>> Properties { get; } =
    [
        Property.Always<ElectionState>("one leader per term", OneLeaderPerTerm),
    ];

    public override ElectionState Init(NodeConfig<ElectionSettings> config)
    {
        var (timer, random) = TickTimer.StartRandomized(SeededRandom.From(config.Seed), config.Settings.TimeoutTicksMin, config.Settings.TimeoutTicksMax);
        return new ElectionState(0, false, timer, random);
    }

    public override ElectionState Step(StepContext<ElectionSettings, ElectionMessage, string> context, ElectionState state, Input<ElectionMessage, string> input) =>
        input switch
        {
            Input<ElectionMessage, string>.Tick => OnTick(context, state),
            Input<ElectionMessage, string>.Receive { Message: ElectionMessage.Heartbeat heartbeat } => OnHeartbeat(context, state, heartbeat),
            _ => state,
        };

    private static ElectionState OnTick(StepContext<ElectionSettings, ElectionMessage, string> context, ElectionState state)
    {
        if (state.Leader)
        {
            context.Broadcast(new ElectionMessage.Heartbeat(state.Term));
            return state;
        }

        var timer = state.Timer.Advance();
        return timer.IsExpired ? BecomeLeader(context, state) : state with { Timer = timer };
    }

    private static ElectionState BecomeLeader(StepContext<ElectionSettings, ElectionMessage, string> context, ElectionState state)
    {
        // The bug: no votes are requested; any node that times out just takes the next term.
        context.Broadcast(new ElectionMessage.Heartbeat(state.Term + 1));
        return state with { Term = state.Term + 1, Leader = true };
    }

    private static ElectionState OnHeartbeat(StepContext<ElectionSettings, ElectionMessage, string> context, ElectionState state, ElectionMessage.Heartbeat heartbeat)
    {
        if (heartbeat.Term < state.Term || (heartbeat.Term == state.Term && state.Leader)) return state;
        var (timer, random) = TickTimer.StartRandomized(state.Random, context.Settings.TimeoutTicksMin, context.Settings.TimeoutTicksMax);
        return state with { Term = heartbeat.Term, Leader = false, Timer = timer, Random = random };
    }

    private static bool OneLeaderPerTerm(Observation<ElectionState> observation)
    {
        for (var a = 0; a < observation.Count; a++)
            for (var b = a + 1; b < observation.Count; b++)
                if (observation.States[a].Leader && observation.States[b].Leader && observation.States[a].Term == observation.States[b].Term)
                    return false;
        return true;
    }
}

internal sealed record ElectionSettings(int TimeoutTicksMin, int TimeoutTicksMax)
{
    public static readonly ElectionSettings Default = new(10, 30);
}

internal sealed record ElectionState(int Term, bool Leader, TickTimer Timer, SeededRandom Random);

internal abstract record ElectionMessage
{
    public sealed record Heartbeat(int Term) : ElectionMessage;
}
