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

    private static Simulator<KeyValueSettings, KeyValueState, KeyValueMessage, KeyValueCommand, KeyValueReply> Simulate(Protocol<KeyValueSettings, KeyValueState, KeyValueMessage, KeyValueCommand, KeyValueReply> protocol, KeyValueSettings? settings = null) =>
        Simulator.Create(protocol, settings ?? Settings).WithWorkload(KeyValueClients.Factory(clients: 3, operationsPerClient: 8));

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
    [InlineData(FaultKinds.IsolateLeader)]
    public void RunSuite_OneFaultKind_InvariantsLinearizabilityAndLivenessHold(FaultKinds faults)
    {
        // Sometimes goals need faults (a leader change, a lagging replica), so single kinds are
        // judged on safety and liveness only; the all-faults suites above judge the goals.
        var report = Simulate(new KeyValueProtocol()).RunSuite(seeds: 100, Options() with { Faults = faults }, firstSeed: 20_000);

        Assert.True(report.Violation is null && report.Determinism?.IsDeterministic != false, report.Failure);
    }

    [Theory]
    [InlineData(KeyValueReadPath.ReadIndex)]
    [InlineData(KeyValueReadPath.Log)]
    public void RunSuite_EachReadPathAllFaultsClientsThroughGateways_InvariantsLinearizabilityAndLivenessHold(KeyValueReadPath path)
    {
        // Every fault, the isolated leader included, with the clients behind the other nodes cut
        // off from it: every recorded history must be linearizable whichever way gets are answered.
        var report = Simulate(new KeyValueProtocol(), Settings with { ReadPath = path }).RunSuite(seeds: 500, Options() with { ClientGateways = true }, firstSeed: 30_000);

        report.ThrowIfFailed();
    }

    [Fact]
    public void RunSuite_FiveReplicasAllFaults_InvariantsLinearizabilityAndLivenessHold()
    {
        var report = Simulate(new KeyValueProtocol()).RunSuite(seeds: 200, Options(nodes: 5), firstSeed: 10_000);

        report.ThrowIfFailed();
    }
}
