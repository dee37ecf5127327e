using OrleansNodes.Protocols.KeyValue;
using OrleansNodes.Simulation;
using OrleansNodes.Workloads;

namespace OrleansNodes.Protocols.Tests.KeyValue;

/// <summary>
/// Seeded simulation suites: simulated clients against a faulty cluster, every Always property
/// checked after every step, the clients' history checked for linearizability at the end, and
/// liveness (every operation completes, a leader is followed, replicas catch up) after healing.
/// The mutants (<c>Mutants/KeyValue</c>) are hunted with the same suites.
/// </summary>
public class KeyValueSimulationTests
{
    private static readonly KeyValueSettings Settings = KeyValueSettings.SmallWindows;

    private static SimulationOptions Options(int nodes = 3) => SimulationOptions.Default with
    {
        Nodes = nodes,
        Steps = 1_200,
        Faults = FaultKinds.All,
        LivenessRounds = 400,
        SaveSchedule = false,
    };

    private static Simulator<KeyValueSettings, KeyValueState, KeyValueMessage, KeyValueCommand, KeyValueReply> Simulate(Protocol<KeyValueSettings, KeyValueState, KeyValueMessage, KeyValueCommand, KeyValueReply> protocol) =>
        Simulator.Create(protocol, Settings).WithWorkload(KeyValueClients.Factory(clients: 3, operationsPerClient: 8));

    [Fact]
    public void RunSuite_ThreeReplicasAllFaults_InvariantsLinearizabilityAndLivenessHold()
    {
        var report = Simulate(new KeyValueProtocol()).RunSuite(seeds: 1_000, Options());

        report.ThrowIfFailed();
    }

    [Theory]
    [InlineData(FaultKinds.None)]
    [InlineData(FaultKinds.Drop)]
    [InlineData(FaultKinds.Duplicate)]
    [InlineData(FaultKinds.Reorder)]
    [InlineData(FaultKinds.Partition)]
    [InlineData(FaultKinds.Crash)]
    [InlineData(FaultKinds.Skew)]
    public void RunSuite_OneFaultKind_InvariantsLinearizabilityAndLivenessHold(FaultKinds faults)
    {
        // Sometimes goals need faults (a leader change, a lagging replica), so single kinds are
        // judged on safety and liveness only; the all-faults suites above judge the goals.
        var report = Simulate(new KeyValueProtocol()).RunSuite(seeds: 100, Options() with { Faults = faults }, firstSeed: 20_000);

        Assert.True(report.Violation is null && report.Determinism?.IsDeterministic != false, report.Failure);
    }

    [Fact]
    public void RunSuite_FiveReplicasAllFaults_InvariantsLinearizabilityAndLivenessHold()
    {
        var report = Simulate(new KeyValueProtocol()).RunSuite(seeds: 200, Options(nodes: 5), firstSeed: 10_000);

        report.ThrowIfFailed();
    }
}
