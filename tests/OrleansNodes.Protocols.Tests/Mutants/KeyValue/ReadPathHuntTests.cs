using OrleansNodes.Protocols.KeyValue;
using OrleansNodes.Simulation;
using OrleansNodes.Workloads;
using Xunit.Abstractions;

namespace OrleansNodes.Protocols.Tests.Mutants.KeyValue;

/// <summary>
/// Seeded hunts for the read path's mutants. A stale get needs a leader cut off from its peers
/// that clients still reach, a new leader elected on the other side and a write acknowledged
/// there, then a get at the old leader before check-quorum deposes it, with no write reaching
/// the old leader in between (a write it takes raises its read index past what it can apply, and
/// even <see cref="ReadsWithoutConfirmation"/> then waits forever). Three things make that common:
/// <see cref="FaultKinds.IsolateLeader"/> cuts the leader itself off; with
/// <see cref="SimulationOptions.ClientGateways"/> the clients behind the other nodes can no longer
/// reach it and write through the new leader, while the one behind it keeps reading there; and a
/// read-mostly mix, long enough to outlast the fault phase, gives it gets to serve.
/// </summary>
public class ReadPathHuntTests(ITestOutputHelper output)
{
    /// <summary>
    /// The hunts' settings with elections after 4–20 silent ticks and a heartbeat every 2: a
    /// follower may campaign after 4 ticks while a leader cut off holds on for 20 before
    /// check-quorum deposes it, so the window in which a deposed leader still believes it leads
    /// is wide. With the hunts' 10–20 it was 10 ticks at most, and a stale get was caught later
    /// (seed 35 instead of 7) and shrank to 70–182 decisions instead of 36–140
    /// (docs/BENCHMARKS.md, "Shrunk counterexamples").
    /// </summary>
    public static KeyValueSettings Settings { get; } = KeyValueMutantHunt.Settings with { ElectionTimeoutTicksMin = 4, ElectionTimeoutTicksMax = 20, HeartbeatIntervalTicks = 2 };

    /// <summary>Only the leader is ever cut off, and clients reach nodes through their gateways.</summary>
    public static SimulationOptions LeaderIsolated { get; } = KeyValueMutantHunt.Options with
    {
        Faults = FaultKinds.IsolateLeader,
        ClientGateways = true,
        MaxShrinkReplays = 4_000,
    };

    /// <summary>Every fault, a subset per run (swarm), clients through their gateways.</summary>
    public static SimulationOptions SwarmAllFaults { get; } = LeaderIsolated with { Faults = FaultKinds.All, Swarm = true };

    /// <summary>Three clients, four gets in five operations, forty operations each.</summary>
    public static WorkloadFactory<KeyValueCommand, KeyValueReply> ReadMostly { get; } =
        KeyValueClients.Factory(clients: 3, operationsPerClient: 40, getPercent: 80);

    /// <summary>The simulator every read-path hunt runs: <see cref="Settings"/> and the <see cref="ReadMostly"/> clients.</summary>
    public static Simulator<KeyValueSettings, KeyValueState, KeyValueMessage, KeyValueCommand, KeyValueReply> Simulator(
        Protocol<KeyValueSettings, KeyValueState, KeyValueMessage, KeyValueCommand, KeyValueReply> protocol) =>
        Simulation.Simulator.Create(protocol, Settings).WithWorkload(ReadMostly);

    private static SimulationOptions OptionsNamed(string name) => name == nameof(LeaderIsolated) ? LeaderIsolated : SwarmAllFaults;

    private static Protocol<KeyValueSettings, KeyValueState, KeyValueMessage, KeyValueCommand, KeyValueReply> MutantNamed(string name) =>
        name == nameof(LeaderReadsLocally) ? new LeaderReadsLocally() : new ReadsWithoutConfirmation();

    // Seeds each hunt may take, with a margin over the first catch when this was written. Runs
    // are seeded, so a catch within them is a fact, not a chance.
    public static TheoryData<string, string, int> Hunts => new()
    {
        // First caught at seed 7 (then 24 and 25).
        { nameof(ReadsWithoutConfirmation), nameof(LeaderIsolated), 100 },
        // First caught at seed 339 (then 592 and 909): a swarm run draws the leader isolation in
        // half its runs, and drops, crashes and other partitions in between make the window rarer.
        { nameof(ReadsWithoutConfirmation), nameof(SwarmAllFaults), 1_000 },
        // First caught at seed 11.
        { nameof(LeaderReadsLocally), nameof(LeaderIsolated), 100 },
        // First caught at seed 1.
        { nameof(LeaderReadsLocally), nameof(SwarmAllFaults), 100 },
    };

    [Theory]
    [MemberData(nameof(Hunts))]
    public void RunSuite_ReadMutant_StaleGetCaughtByTheLinearizabilityCheckAndTheScheduleReplaysWithItsClients(string mutantName, string optionsName, int seeds)
    {
        var mutant = MutantNamed(mutantName);
        var simulator = Simulator(mutant);

        var report = simulator.RunSuite(seeds, OptionsNamed(optionsName), firstSeed: 1);

        var violation = report.Violation ?? throw new Xunit.Sdk.XunitException($"{mutantName} survived {seeds} seeds of {optionsName}");
        output.WriteLine($"{mutantName}, {optionsName}: caught at seed {violation.Seed} after {report.Runs} runs, {violation.OriginalDecisions} decisions shrunk to {violation.Schedule.Decisions.Length}");
        output.WriteLine(violation.ToString());
        Assert.Equal("workload", violation.Property);
        Assert.Contains(KeyValueClients.NotLinearizable, violation.Message, StringComparison.Ordinal);
        // The schedule names the clients (the read-mostly mix included), as `sim --replay` rebuilds them.
        var recorded = KeyValueClients.Factory(violation.Schedule.Workload ?? throw new Xunit.Sdk.XunitException("the schedule records no workload"));
        var replay = Simulation.Simulator.Create(mutant, Settings).WithWorkload(recorded).Replay(violation.Schedule);
        Assert.Equal(violation.Property, replay.Violation?.Property);
        Counterexamples.AssertPassesOnCorrectProtocol(Simulation.Simulator.Create(new KeyValueProtocol(), Settings).WithWorkload(recorded), violation.Schedule);
        // Issue 13's goal, as CounterexampleTests holds the other mutants to it.
        Assert.InRange(violation.Schedule.Decisions.Length, 1, 60);
    }

    [Theory]
    [InlineData(nameof(LeaderIsolated), KeyValueReadPath.ReadIndex, 1_000)]
    [InlineData(nameof(LeaderIsolated), KeyValueReadPath.Log, 1_000)]
    [InlineData(nameof(SwarmAllFaults), KeyValueReadPath.ReadIndex, 3_000)]
    [InlineData(nameof(SwarmAllFaults), KeyValueReadPath.Log, 3_000)]
    public void RunSuite_CorrectStoreWithTheHuntsOptions_EveryHistoryLinearizable(string optionsName, KeyValueReadPath path, int seeds)
    {
        // A mutant caught under options the correct store fails too would prove nothing; the
        // correct store passes them on either read path, for more seeds than the hunts take.
        var report = Simulation.Simulator.Create(new KeyValueProtocol(), Settings with { ReadPath = path })
            .WithWorkload(ReadMostly)
            .RunSuite(seeds, OptionsNamed(optionsName), firstSeed: 1);

        Assert.True(report.Violation is null, report.Failure);
        Assert.Equal(seeds, report.Runs);
    }

    [Fact]
    public void RunSuite_ReadsWithoutConfirmationWithoutGateways_Survives()
    {
        // With every client reaching every node, the clients that write keep writing to the old
        // leader until they time out, and each write it takes holds its gets back: the isolated
        // leader alone does not show the bug (nor did it in 4,000 seeds when this was written).
        var simulator = Simulator(new ReadsWithoutConfirmation());

        var report = simulator.RunSuite(1_000, LeaderIsolated with { ClientGateways = false, Shrink = false }, firstSeed: 1);

        Assert.True(report.Violation is null, report.Violation?.ToString());
    }
}
