using OrleansNodes.Simulation.Tests.Toys;

namespace OrleansNodes.Simulation.Tests;

/// <summary>
/// The last line of a violation report says how to replay it. The console knows only the protocols
/// it ships with, so for anyone else's protocol the line is the call that replays the schedule from
/// the author's own test, and that call must work as printed.
/// </summary>
public sealed class ReplayHintTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("on-replay-hint-").FullName;

    // Random delivery order breaks the relay's "received in order" within a few hundred steps.
    private SimulationOptions Options => SimulationOptions.Default with
    {
        Nodes = 3, Steps = 3_000, Order = DeliveryOrder.Random, CheckDeterminism = false, ScheduleDirectory = _directory,
    };

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ReplayCommand_AuthorsOwnProtocol_IsTheTestCallThatReplaysIt()
    {
        var violation = Simulator.Create(new Relay(), Unit.Value).RunSuite(20, Options).Violation!;

        var path = violation.SchedulePath!;
        Assert.Equal($"Simulator.Create(new Relay(), settings).Replay(Schedule.Load(\"{path}\"))", violation.ReplayCommand);
        Assert.EndsWith($"replay: {violation.ReplayCommand}{Environment.NewLine}", violation.ToString());
        Assert.DoesNotContain("orleansnodes", violation.ToString());

        // The call as printed, with the settings the run used, replays the same counterexample.
        var settings = Unit.Value;
        var replay = Simulator.Create(new Relay(), settings).Replay(Schedule.Load(path));
        Assert.Equal(violation.Property, replay.Violation?.Property);
        Assert.Equal(violation.Trace, replay.Violation!.Trace);
    }

    [Fact]
    public void ReplayCommand_RunWithSimulatedClients_NamesTheWorkload()
    {
        var simulator = Simulator.Create(new Relay(), Unit.Value).WithWorkload(setup => new Clients(setup, 2, 5, 5, failWith: "always fails"));

        var violation = simulator.Run(2, Options with { Order = DeliveryOrder.Fifo, Faults = FaultKinds.Drop, Shrink = false }).Violation!;

        Assert.Equal("workload", violation.Property);
        Assert.Equal($"Simulator.Create(new Relay(), settings).WithWorkload(clients).Replay(Schedule.Load(\"{violation.SchedulePath}\"))", violation.ReplayCommand);
    }

    [Fact]
    public void ReplayCommand_ProtocolMadeWithArguments_LeavesThemToTheAuthor()
    {
        // A mute Gossip never says hello, so "everyone heard everyone" never comes true; `new
        // Gossip()` would compile but build the other variant, so the hint does not guess.
        var violation = Simulator.Create(new Gossip(mute: true), Unit.Value).Run(1, Options with { Steps = 300 }).Violation;

        Assert.NotNull(violation);
        Assert.Equal($"Simulator.Create(protocol, settings).Replay(Schedule.Load(\"{violation.SchedulePath}\"))", violation.ReplayCommand);
    }

    [Fact]
    public void ReplayCommand_ScheduleNotSaved_IsNull()
    {
        var violation = Simulator.Create(new Relay(), Unit.Value).RunSuite(20, Options with { SaveSchedule = false }).Violation!;

        Assert.Null(violation.SchedulePath);
        Assert.Null(violation.ReplayCommand);
        Assert.DoesNotContain("replay:", violation.ToString());
    }
}
