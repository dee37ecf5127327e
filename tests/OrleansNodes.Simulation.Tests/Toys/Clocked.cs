namespace OrleansNodes.Simulation.Tests.Toys;

/// <summary>A protocol that breaks rule 2: it reads the wall clock on every tick. The determinism self-check must catch it.</summary>
internal sealed class Clocked : Protocol<Unit, ClockedState, string, string, string>
{
    public override string Name => "clocked";

    public override ClockedState Init(NodeConfig<Unit> config) => new(0, 0);

    public override ClockedState Step(StepContext<Unit, string, string> context, ClockedState state, Input<string, string> input) =>
        input is Input<string, string>.Tick ? new ClockedState(state.Ticks + 1, DateTime.Now.Ticks) : state;
}

internal sealed record ClockedState(int Ticks, long LastTickAt);
