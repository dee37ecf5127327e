using OrleansNodes.Simulation;
using Xunit.Abstractions;

namespace OrleansNodes.Protocols.Tests.Mutants.KeyValue;

/// <summary>
/// Each deliberately broken key-value store must be caught by the simulator for the right
/// reason, with a counterexample that shrinks and replays. Three of them break only the
/// durable part of the contract (what a flush writes, and how recovery reads it back): they
/// pass every run without crashes, so only the model of persistence can catch them.
/// </summary>
public class KeyValueMutantTests(ITestOutputHelper output)
{
    private const int MaxSeeds = 3_000;

    public static TheoryData<string> Mutants => [.. KeyValueMutantHunt.Cases.Select(c => c.ToString())];

    public static TheoryData<string> DurabilityMutants => [nameof(SnapshotBeforeApply), nameof(OverwriteNotWritten), nameof(RecoveryReplaysSnapshot)];

    [Theory]
    [MemberData(nameof(Mutants))]
    public void Find_Mutant_ViolatesTheExpectedPropertyAndTheShrunkScheduleReplays(string name)
    {
        var mutantCase = KeyValueMutantHunt.Case(name);

        var finding = KeyValueMutantHunt.Find(mutantCase, MaxSeeds)
            ?? throw new Xunit.Sdk.XunitException($"{name} ({mutantCase.Mutant.Bug}) survived {MaxSeeds} seeds");

        var violation = finding.Violation;
        output.WriteLine($"{name}: seed {violation.Seed} after {finding.Runs} runs, '{violation.Property}', {violation.OriginalDecisions} decisions shrunk to {finding.ShrunkDecisions}");
        output.WriteLine(violation.ToString());
        Assert.Equal(mutantCase.Mutant.ExpectedViolation, violation.Property);
        Assert.True(finding.ShrunkDecisions < violation.OriginalDecisions, $"not shrunk: {finding.ShrunkDecisions} of {violation.OriginalDecisions}");
        var replay = KeyValueMutantHunt.Simulator(mutantCase.Mutant).Replay(violation.Schedule);
        Assert.Equal(violation.Property, replay.Violation?.Property);
    }

    [Theory]
    [MemberData(nameof(Mutants))]
    public void RunSuite_CorrectStoreWithTheHuntsOptions_FindsNothing(string name)
    {
        // A mutant caught under options the correct store fails too would prove nothing.
        var mutantCase = KeyValueMutantHunt.Case(name);

        var report = OrleansNodes.Simulation.Simulator.Create(new OrleansNodes.Protocols.KeyValue.KeyValueProtocol(), KeyValueMutantHunt.Settings)
            .WithWorkload(OrleansNodes.Workloads.KeyValueClients.Factory(clients: 3, operationsPerClient: 8))
            .RunSuite(MaxSeeds, mutantCase.Options);

        Assert.True(report.Violation is null, report.Failure);
    }

    [Theory]
    [MemberData(nameof(DurabilityMutants))]
    public void RunSuite_DurabilityMutantWithoutCrashes_PassesBecauseOnlyRecoveryShowsTheBug(string name)
    {
        var mutantCase = KeyValueMutantHunt.Case(name);
        var options = mutantCase.Options with { Faults = mutantCase.Options.Faults & ~FaultKinds.Crash };

        var report = KeyValueMutantHunt.Simulator(mutantCase.Mutant).RunSuite(200, options);

        Assert.True(report.Violation is null, report.Failure);
    }
}
