using OrleansNodes.Simulation.Tests.Toys;

namespace OrleansNodes.Simulation.Tests;

/// <summary>The simulator on a real protocol: correct Paxos survives every fault and reaches its goals.</summary>
public class MiniPaxosTests
{
    [Fact]
    public void RunSuite_AllFaults_AgreementHoldsGoalsReachedEveryoneLearns()
    {
        var sim = Simulator.Create(new MiniPaxos(), PaxosSettings.Default);
        var options = SimulationOptions.Default with { Nodes = 5, Steps = 3_000, Faults = FaultKinds.All, FaultEventPercent = 2, SaveSchedule = false };

        var suite = sim.RunSuite(40, options);

        suite.ThrowIfFailed();
        Assert.True(suite.Determinism!.IsDeterministic);
        Assert.All(suite.Goals, goal => Assert.True(goal.RunsReached > 0, goal.Name));
    }

    [Fact]
    public void RunSuite_AcceptorsForgetOnRestart_RecoveryCheckCatchesTheLostHardState()
    {
        var sim = Simulator.Create(new MiniPaxos(amnesia: true), PaxosSettings.Default);
        var options = SimulationOptions.Default with { Nodes = 3, Steps = 3_000, Faults = FaultKinds.Crash, FaultEventPercent = 5, SaveSchedule = false };

        var suite = sim.RunSuite(50, options);

        var violation = Assert.IsType<Violation>(suite.Violation);
        Assert.Equal("Recover restores the hard state", violation.Property);
        Assert.Contains("restart n", violation.Trace);
    }

    [Fact]
    public void RunSuite_AcceptorsForgetOnRestartWithoutTheRecoveryCheck_AgreementViolationFoundAndShrunk()
    {
        // The protocol's own properties must catch the bug too, not only the contract check.
        var sim = Simulator.Create(new MiniPaxos(amnesia: true), PaxosSettings.Default);
        var options = SimulationOptions.Default with
        {
            Nodes = 3, Steps = 3_000, Faults = FaultKinds.Crash | FaultKinds.Reorder, FaultEventPercent = 5, SaveSchedule = false, CheckRecovery = false,
        };

        var suite = sim.RunSuite(200, options);

        var violation = Assert.IsType<Violation>(suite.Violation);
        Assert.Equal("agreement", violation.Property);
        Assert.Contains("restart n", violation.Trace);
        // The proposers' timeouts (8..20 ticks, one tick per round) are part of any
        // counterexample, so the shrunk schedule keeps those ticks and rounds; the rest goes.
        Assert.True(violation.Schedule.Decisions.Length * 2 <= violation.OriginalDecisions, violation.ToString());
    }

    [Fact]
    public void Scenario_IsolatedProposerAndHeal_OneValueChosenAndLearned()
    {
        var world = Simulator.Create(new MiniPaxos(), PaxosSettings.Default).CreateWorld(nodes: 3, seed: 1);
        var n2 = new NodeId(2);

        world.Isolate(n2).RunRounds(40);
        Assert.Null(world[n2].Chosen);
        var chosen = world[new NodeId(0)].Chosen;
        Assert.NotNull(chosen);

        world.Heal().RunRounds(5);

        Assert.All(world.States, state => Assert.Equal(chosen, state.Chosen));
    }
}
