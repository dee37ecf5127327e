using OrleansNodes.Simulation.Tests.Toys;

namespace OrleansNodes.Simulation.Tests;

public class WorkloadTests
{
    private static readonly SimulationOptions _options = SimulationOptions.Default with
    {
        Nodes = 3,
        Steps = 2_000,
        Order = DeliveryOrder.Fifo, // the relay's own invariant needs messages in send order
        SaveSchedule = false,
        CheckDeterminism = false,
    };

    [Fact]
    public void Run_ClientsWithRetries_EveryOperationCompletesDespiteFaults()
    {
        var sim = Simulator.Create(new Relay(), Unit.Value).WithWorkload(setup => new Clients(setup, clients: 4, operations: 30, timeoutRounds: 5));

        var report = sim.Run(8, _options with { Faults = FaultKinds.Crash | FaultKinds.Drop | FaultKinds.Partition, FaultEventPercent = 3 });

        Assert.True(report.Passed, report.ToString());
        var completed = Assert.IsType<(long Client, long Sequence, int Answer)[]>(report.WorkloadResult);
        Assert.Equal(4 * 30, completed.Length);
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), completed.Where(c => c.Client == 0).Select(c => c.Sequence));
        Assert.True(report.Requests >= 4 * 30);
        Assert.True(report.Lost > 0);
    }

    [Fact]
    public void Run_WorkloadFails_RunFailsNamingWorkload()
    {
        var sim = Simulator.Create(new Relay(), Unit.Value).WithWorkload(setup => new Clients(setup, 2, 3, 5, failWith: "history is not linearizable"));

        var report = sim.Run(1, _options);

        Assert.Equal("workload", report.Violation?.Property);
        Assert.Equal("history is not linearizable", report.Violation!.Message);
    }

    [Fact]
    public void Run_WorkloadNeverSettles_FailsLiveness()
    {
        // Clients that wait forever: 10 operations each, but a timeout so long they never retry
        // a request lost to a crash, and a liveness bound too short for them all.
        var sim = Simulator.Create(new Relay(), Unit.Value).WithWorkload(setup => new Clients(setup, 2, 1_000, 1_000_000));

        var report = sim.Run(1, _options with { LivenessRounds = 20 });

        Assert.Equal("workload settles", report.Violation?.Property);
        Assert.Equal(PropertyKind.Eventually, report.Violation!.Kind);
    }

    [Fact]
    public void Replay_RunWithWorkload_SameOutcome()
    {
        var sim = Simulator.Create(new Relay(), Unit.Value).WithWorkload(setup => new Clients(setup, 2, 5, 5, failWith: "always fails"));
        var directory = Directory.CreateTempSubdirectory("on-sim-").FullName;

        var report = sim.Run(2, _options with { SaveSchedule = true, ScheduleDirectory = directory, Faults = FaultKinds.Drop, Shrink = false });
        var replay = sim.Replay(Schedule.Load(report.Violation!.SchedulePath!));

        Assert.Equal("workload", replay.Violation?.Property);
        Assert.Equal(report.Requests, replay.Requests);
        Directory.Delete(directory, recursive: true);
    }
}
