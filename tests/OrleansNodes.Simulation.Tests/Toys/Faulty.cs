namespace OrleansNodes.Simulation.Tests.Toys;

/// <summary>A protocol whose step throws on its fifth tick: a bug the simulator must report as a violation, not crash on.</summary>
internal sealed class Faulty : Protocol<Unit, FaultyState, string, string, string>
{
    public override string Name => "faulty";

    public override FaultyState Init(NodeConfig<Unit> config) => new(0);

    public override FaultyState Step(StepContext<Unit, string, string> context, FaultyState state, Input<string, string> input) =>
        input is Input<string, string>.Tick
            ? state.Ticks == 4 ? throw new InvalidOperationException("fifth tick") : new FaultyState(state.Ticks + 1)
            : state;
}

internal sealed record FaultyState(int Ticks);
