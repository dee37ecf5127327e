namespace OrleansNodes.Simulation.Tests.Toys;

/// <summary>
/// Single-decree Paxos (Lamport, "Paxos Made Simple", 2001, section 2), small enough to sit in
/// a test: every node is proposer, acceptor and learner. A proposer whose timer expires picks
/// a higher ballot, collects promises from a majority (phase 1), proposes the value of the
/// highest-ballot acceptance it was told about or else its own (phase 2), and announces the
/// value once a majority accepted it. Ballots are <c>round * 64 + node</c>, so they are unique
/// per proposer. It is the simulator's realistic workload: tests run it under every fault, and
/// the benchmark measures steps per second on it.
/// </summary>
/// <param name="amnesia">A planted bug: a restarted acceptor forgets what it promised and accepted, as if that were volatile state.</param>
internal sealed class MiniPaxos(bool amnesia = false) : Protocol<PaxosSettings, PaxosState, PaxosMessage, string, string>
{
    public override string Name => amnesia ? "amnesiac-paxos" : "mini-paxos";

    public override PaxosState Recover(NodeConfig<PaxosSettings> config, DurableImage image)
    {
        var persisted = image.HardAs(Init(config));
        return amnesia ? persisted with { Promised = 0, AcceptedBallot = -1, AcceptedValue = null } : persisted;
    }

    public override IReadOnlyList<Property<PaxosState>> Properties { get; } =
    [
        Property.Always<PaxosState>("agreement", Agreement),
        Property.Always<PaxosState>("promises only grow", o => o.Before is null || o.After!.Promised >= o.Before.Promised),
        Property.Sometimes<PaxosState>("a value is chosen", o => CountLearned(o) > 0),
        Property.Sometimes<PaxosState>("a later ballot adopts an accepted value", o => o.After?.Adopted == true),
        Property.Eventually<PaxosState>("everyone learns", o => CountLearned(o) == o.Count),
    ];

    public override PaxosState Init(NodeConfig<PaxosSettings> config)
    {
        var (timer, random) = TickTimer.StartRandomized(SeededRandom.From(config.Seed), config.Settings.TimeoutTicksMin, config.Settings.TimeoutTicksMax);
        return new PaxosState(0, -1, null, -1, 0, -1, null, 0, false, null, timer, random);
    }

    public override PaxosState Step(StepContext<PaxosSettings, PaxosMessage, string> context, PaxosState state, Input<PaxosMessage, string> input) =>
        input switch
        {
            Input<PaxosMessage, string>.Tick => OnTick(context, state),
            Input<PaxosMessage, string>.Receive { Message: PaxosMessage.Prepare m } receive => OnPrepare(context, state, receive.From, m),
            Input<PaxosMessage, string>.Receive { Message: PaxosMessage.Promise m } receive => OnPromise(context, state, receive.From, m),
            Input<PaxosMessage, string>.Receive { Message: PaxosMessage.Accept m } receive => OnAccept(context, state, receive.From, m),
            Input<PaxosMessage, string>.Receive { Message: PaxosMessage.Accepted m } receive => OnAccepted(context, state, receive.From, m),
            Input<PaxosMessage, string>.Receive { Message: PaxosMessage.Decided m } => Learn(state, m.Value),
            _ => state,
        };

    private static PaxosState OnTick(StepContext<PaxosSettings, PaxosMessage, string> context, PaxosState state)
    {
        if (state.Chosen is { } chosen)
        {
            // Keep telling the others until they know: Decided messages may be lost.
            context.Broadcast(new PaxosMessage.Decided(chosen));
            return state;
        }

        var timer = state.Timer.Advance();
        return timer.IsExpired ? StartBallot(context, state) : state with { Timer = timer };
    }

    private static PaxosState StartBallot(StepContext<PaxosSettings, PaxosMessage, string> context, PaxosState state)
    {
        var round = Math.Max(state.Promised, state.Ballot) / 64 + 1;
        var ballot = round * 64 + context.Self.Value;
        var (timer, random) = TickTimer.StartRandomized(state.Random, context.Settings.TimeoutTicksMin, context.Settings.TimeoutTicksMax);
        context.SendToAll(new PaxosMessage.Prepare(ballot));
        return state with { Ballot = ballot, Promises = 0, HighestAccepted = -1, HighestValue = null, Accepts = 0, Timer = timer, Random = random };
    }

    private static PaxosState OnPrepare(StepContext<PaxosSettings, PaxosMessage, string> context, PaxosState state, NodeId from, PaxosMessage.Prepare prepare)
    {
        if (prepare.Ballot < state.Promised) return state;
        context.Send(from, new PaxosMessage.Promise(prepare.Ballot, state.AcceptedBallot, state.AcceptedValue));
        return prepare.Ballot == state.Promised ? state : state with { Promised = prepare.Ballot };
    }

    private static PaxosState OnPromise(StepContext<PaxosSettings, PaxosMessage, string> context, PaxosState state, NodeId from, PaxosMessage.Promise promise)
    {
        var bit = 1L << from.Value;
        if (promise.Ballot != state.Ballot || (state.Promises & bit) != 0) return state;
        var next = state with { Promises = state.Promises | bit };
        if (promise.AcceptedBallot > next.HighestAccepted)
            next = next with { HighestAccepted = promise.AcceptedBallot, HighestValue = promise.AcceptedValue };
        if (long.PopCount(next.Promises) != context.Majority) return next;
        var adopted = next.HighestValue is not null;
        var value = next.HighestValue ?? "v" + context.Self.Value;
        context.SendToAll(new PaxosMessage.Accept(state.Ballot, value));
        return next with { Adopted = next.Adopted || adopted };
    }

    private static PaxosState OnAccept(StepContext<PaxosSettings, PaxosMessage, string> context, PaxosState state, NodeId from, PaxosMessage.Accept accept)
    {
        if (accept.Ballot < state.Promised) return state;
        context.Send(from, new PaxosMessage.Accepted(accept.Ballot, accept.Value));
        return state with { Promised = accept.Ballot, AcceptedBallot = accept.Ballot, AcceptedValue = accept.Value };
    }

    private static PaxosState OnAccepted(StepContext<PaxosSettings, PaxosMessage, string> context, PaxosState state, NodeId from, PaxosMessage.Accepted accepted)
    {
        var bit = 1L << from.Value;
        if (accepted.Ballot != state.Ballot || (state.Accepts & bit) != 0) return state;
        var next = state with { Accepts = state.Accepts | bit };
        if (long.PopCount(next.Accepts) != context.Majority) return next;
        context.Broadcast(new PaxosMessage.Decided(accepted.Value));
        return Learn(next, accepted.Value);
    }

    private static PaxosState Learn(PaxosState state, string value) =>
        state.Chosen == value ? state : state with { Chosen = state.Chosen ?? value, Conflict = state.Chosen is not null };

    // Properties run after every step: plain loops, no LINQ, so the benchmark measures the simulator.
    private static int CountLearned(Observation<PaxosState> observation)
    {
        var count = 0;
        for (var i = 0; i < observation.Count; i++)
            if (observation.States[i].Chosen is not null) count++;
        return count;
    }

    private static bool Agreement(Observation<PaxosState> observation)
    {
        string? chosen = null;
        for (var i = 0; i < observation.Count; i++)
        {
            var state = observation.States[i];
            if (state.Conflict) return false;
            if (state.Chosen is null) continue;
            if (chosen is not null && chosen != state.Chosen) return false;
            chosen = state.Chosen;
        }

        return true;
    }
}

internal sealed record PaxosSettings(int TimeoutTicksMin, int TimeoutTicksMax)
{
    public static readonly PaxosSettings Default = new(8, 20);
}

/// <param name="Promised">Acceptor: the highest ballot promised.</param>
/// <param name="AcceptedBallot">Acceptor: the ballot of the last accepted value, -1 if none.</param>
/// <param name="AcceptedValue">Acceptor: the last accepted value.</param>
/// <param name="Ballot">Proposer: its current ballot, -1 before the first.</param>
/// <param name="Promises">Proposer: who promised its ballot, a bit per node.</param>
/// <param name="HighestAccepted">Proposer: the highest accepted ballot reported in those promises.</param>
/// <param name="HighestValue">Proposer: the value accepted in that ballot.</param>
/// <param name="Accepts">Proposer: who accepted its ballot.</param>
/// <param name="Adopted">Proposer: it once proposed a value adopted from a promise (a "Sometimes" goal).</param>
/// <param name="Chosen">Learner: the chosen value once known.</param>
/// <param name="Timer">Proposer: ticks until it tries a higher ballot.</param>
/// <param name="Random">The node's seeded randomness for timeouts.</param>
internal sealed record PaxosState(
    long Promised,
    long AcceptedBallot,
    string? AcceptedValue,
    long Ballot,
    long Promises,
    long HighestAccepted,
    string? HighestValue,
    long Accepts,
    bool Adopted,
    string? Chosen,
    TickTimer Timer,
    SeededRandom Random)
{
    /// <summary>Learned two different values: what "agreement" forbids.</summary>
    public bool Conflict { get; init; }
}

internal abstract record PaxosMessage
{
    public sealed record Prepare(long Ballot) : PaxosMessage;

    public sealed record Promise(long Ballot, long AcceptedBallot, string? AcceptedValue) : PaxosMessage;

    public sealed record Accept(long Ballot, string Value) : PaxosMessage;

    public sealed record Accepted(long Ballot, string Value) : PaxosMessage;

    public sealed record Decided(string Value) : PaxosMessage;
}
