using OrleansNodes.Simulation.Tests.Toys;

namespace OrleansNodes.Simulation.Tests;

/// <summary>Shrinking keeps the bug: the same violation signature, in an execution the options allow, liveness included.</summary>
public class ShrinkingTests
{
    private static readonly SimulationOptions _options = SimulationOptions.Default with
    {
        Nodes = 3, Steps = 200, Faults = FaultKinds.Drop | FaultKinds.Crash | FaultKinds.Partition, FaultEventPercent = 5, LivenessRounds = 5,
        CheckDeterminism = false, SaveSchedule = false,
    };

    [Fact]
    public void Run_LivenessViolation_ShrinksToASchedulethatStillFailsWithinTheSameBound()
    {
        // A mute gossip never says hello: "everyone heard everyone" cannot come true after healing.
        var sim = Simulator.Create(new Gossip(mute: true), Unit.Value);

        var violation = sim.Run(1, _options).Violation!;

        Assert.Equal("everyone heard everyone", violation.Property);
        Assert.Equal(PropertyKind.Eventually, violation.Kind);
        Assert.Equal("Eventually 'everyone heard everyone'", violation.Signature);
        Assert.True(violation.Schedule.Decisions.Length < violation.OriginalDecisions, $"not shrunk: {violation.Schedule.Decisions.Length} of {violation.OriginalDecisions}");
        var decisions = violation.Schedule.Decisions;
        var live = decisions.IndexOf(new Decision(DecisionKind.Live));
        Assert.True(live >= 0, "the shrunk schedule has no liveness phase");
        Assert.True(decisions.Skip(live).Count(d => d.Kind == DecisionKind.Round) >= _options.LivenessRounds);
        var replay = sim.Replay(violation.Schedule);
        Assert.Equal(violation.Signature, replay.Violation?.Signature);
        Assert.Equal(0, replay.SkippedDecisions);
    }

    [Fact]
    public void Run_WorkloadFailure_SignatureNamesItsKind()
    {
        var sim = Simulator.Create(new Relay(), Unit.Value).WithWorkload(setup => new Clients(setup, 2, 3, 5, failWith: "history not linearizable: a read of 3"));

        var violation = sim.Run(1, _options with { Order = DeliveryOrder.Fifo, Faults = FaultKinds.None, LivenessRounds = 0 }).Violation!;

        Assert.Equal("Always 'workload': history not linearizable", violation.Signature);
        Assert.Equal(violation.Signature, sim.Replay(violation.Schedule).Violation?.Signature);
    }

    [Fact]
    public void Run_WorkloadWithSmallerVariants_ShrinksToTheSimplestThatStillFailsAndReplaysFromTheSpec()
    {
        static WorkloadFactory<string, int> Toy(int clients) => new(
            WorkloadSpec.Of("toy-clients", ("clients", clients)),
            setup => new Clients(setup, clients, 3, 5, failWith: "always fails"))
        {
            Variant = spec => spec.Kind == "toy-clients" ? Toy(spec.Int("clients", 0)) : null,
            Smaller = [.. Enumerable.Range(1, clients - 1).Select(c => WorkloadSpec.Of("toy-clients", ("clients", c)))],
        };
        var sim = Simulator.Create(new Relay(), Unit.Value).WithWorkload(Toy(4));

        var violation = sim.Run(1, _options with { Order = DeliveryOrder.Fifo, Faults = FaultKinds.None, LivenessRounds = 0 }).Violation!;

        Assert.Equal(WorkloadSpec.Of("toy-clients", ("clients", 1)), violation.Schedule.Workload);
        var replay = sim.Replay(violation.Schedule);
        Assert.Equal(violation.Signature, replay.Violation?.Signature);
        Assert.Equal(0, replay.SkippedDecisions);
    }
}
