using OrleansNodes.Protocols.KeyValue;
using OrleansNodes.Simulation;
using OrleansNodes.Workloads;
using Xunit.Abstractions;

namespace OrleansNodes.Protocols.Tests.Mutants.KeyValue;

/// <summary>
/// Gets without the log are only linearizable because the leader confirms it still leads first:
/// the hunt finds the variant that skips the confirmation, and the correct store survives the
/// same seeds.
/// </summary>
public class ReadIndexMutantTests(ITestOutputHelper output)
{
    private const int MaxSeeds = 3_000;

    [Fact]
    public void Find_ReadsWithoutConfirmation_ClientsHistoryNotLinearizableAndTheScheduleReplays()
    {
        var mutant = new ReadsWithoutConfirmation();
        var simulator = Simulation.Simulator.Create(mutant, KeyValueMutantHunt.Settings).WithWorkload(KeyValueClients.Factory(clients: 3, operationsPerClient: 40));

        var report = simulator.RunSuite(MaxSeeds, KeyValueMutantHunt.Options, firstSeed: 1);

        var violation = report.Violation ?? throw new Xunit.Sdk.XunitException($"{mutant.Bug}: survived {MaxSeeds} seeds");
        output.WriteLine($"caught at seed {violation.Seed} after {report.Runs} runs; shrunk to {violation.Schedule.Decisions.Length} decisions");
        output.WriteLine(violation.ToString());
        Assert.Equal(mutant.ExpectedViolation, violation.Property);
        Assert.Equal(violation.Property, simulator.Replay(violation.Schedule).Violation?.Property);
        var correct = Simulator.Create(new KeyValueProtocol(), KeyValueMutantHunt.Settings).WithWorkload(KeyValueClients.Factory(clients: 3, operationsPerClient: 40));
        Assert.Null(correct.Replay(violation.Schedule).Violation);
    }
}
