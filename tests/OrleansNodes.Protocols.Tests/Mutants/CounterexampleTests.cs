using OrleansNodes.Protocols.KeyValue;
using OrleansNodes.Protocols.Paxos;
using OrleansNodes.Protocols.Tests.Mutants.KeyValue;
using OrleansNodes.Simulation;
using OrleansNodes.Workloads;
using Xunit.Abstractions;

namespace OrleansNodes.Protocols.Tests.Mutants;

/// <summary>
/// Every mutant's counterexample, saved as the console saves it, loads from disk, replays to the
/// same violation (key-value ones with the clients the file records), is short, and passes on the
/// correct protocol: shrinking kept the bug and did not invent one.
/// </summary>
public sealed class CounterexampleTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>
    /// Issue 13's goal for every mutant in the repository, which every mutant here now meets with
    /// its first counterexample (the first found from the suite's first seed). Format <c>/4</c>
    /// (named delays, and under skew a round that owes two ticks) took LeaderReadsLocally's from
    /// 204 to 40, OverwriteNotWritten's from 173 to 55, NoDeduplication's from 70 to 34 and the
    /// snapshot mutants' from 64 to 38 and 51; LeaderIgnoresCheckQuorum's went from 65 to 32 when
    /// its hunt took elections after 4–8 ticks and the step-down bound built for them
    /// (<see cref="KeyValueMutantHunt.QuickElections"/>). The read path's mutants are hunted apart,
    /// and held to the same goal there (<see cref="ReadPathHuntTests"/>).
    /// </summary>
    private const int MaxShrunkDecisions = 60;

    private readonly string _directory = Directory.CreateTempSubdirectory("on-counterexamples-").FullName;

    public static TheoryData<string> PaxosMutants => [.. MutantHunt.Cases.Select(c => c.ToString())];

    public static TheoryData<string> KeyValueMutants => [.. KeyValueMutantHunt.Cases.Concat(KeyValueMutantHunt.SwarmCases).Select(c => c.ToString())];

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [MemberData(nameof(PaxosMutants))]
    public void Replay_SavedPaxosCounterexample_SameViolationFromDiskAndNoneOnTheCorrectProtocol(string name)
    {
        var mutantCase = MutantHunt.Case(name);
        var report = Simulator.Create(mutantCase.Mutant, MutantHunt.Settings).RunSuite(5_000, Saving(mutantCase.Options));
        var violation = report.Violation ?? throw new Xunit.Sdk.XunitException($"{name} survived 5000 seeds");
        output.WriteLine(violation.ToString());

        var loaded = Schedule.Load(violation.SchedulePath!);
        var replay = Simulator.Create(mutantCase.Mutant, MutantHunt.Settings).Replay(loaded);

        Counterexamples.AssertSameViolation(violation, replay);
        Assert.InRange(loaded.Decisions.Length, 1, MaxShrunkDecisions);
        Counterexamples.AssertPassesOnCorrectProtocol(Simulator.Create(new SingleDecreePaxos(), MutantHunt.Settings), loaded);
    }

    [Theory]
    [MemberData(nameof(KeyValueMutants))]
    public void Replay_SavedKeyValueCounterexample_SameViolationWithTheRecordedClientsAndNoneOnTheCorrectStore(string name)
    {
        var mutantCase = KeyValueMutantHunt.Case(name);
        var report = mutantCase.Simulator().RunSuite(3_000, Saving(mutantCase.Options));
        var violation = report.Violation ?? throw new Xunit.Sdk.XunitException($"{name} survived 3000 seeds");
        output.WriteLine($"{violation.OriginalDecisions} decisions shrunk to {violation.Schedule.Decisions.Length}");
        output.WriteLine(violation.ToString());

        // The file alone says which clients to rebuild, as `orleansnodes sim --replay` does.
        var loaded = Schedule.Load(violation.SchedulePath!);
        var clients = KeyValueClients.Factory(loaded.Workload ?? throw new Xunit.Sdk.XunitException("the schedule records no workload"));
        var replay = Simulator.Create(mutantCase.Mutant, mutantCase.HuntSettings).WithWorkload(clients).Replay(loaded);

        Counterexamples.AssertSameViolation(violation, replay);
        Assert.InRange(loaded.Decisions.Length, 1, MaxShrunkDecisions);
        Counterexamples.AssertPassesOnCorrectProtocol(Simulator.Create(mutantCase.CorrectStore, mutantCase.HuntSettings).WithWorkload(clients), loaded);
    }

    [Fact]
    public void Shrink_SkewedRunThatShrinksShorterInTheOneTickReading_KeepsThatReadingAndSaysSoInTheFile()
    {
        // ProposerIgnoresPromisedVotes' seed 1227 (docs/BENCHMARKS.md, "Shrunk counterexamples"):
        // with every clock at its fastest ddmin stopped at 23 decisions, reading a round as one
        // tick it reaches 21, so shrinking keeps the one-tick reading.
        var mutantCase = MutantHunt.Case(nameof(ProposerIgnoresPromisedVotes));
        var simulator = Simulator.Create(mutantCase.Mutant, MutantHunt.Settings);

        var violation = simulator.RunSuite(1, Saving(mutantCase.Options), firstSeed: 1227).Violation
            ?? throw new Xunit.Sdk.XunitException("seed 1227 no longer violates: pick another skewed run whose nominal reading wins");
        output.WriteLine($"{violation.OriginalDecisions} decisions shrunk to {violation.Schedule.Decisions.Length}");

        Assert.True(violation.Schedule.Options.Faults.HasFlag(FaultKinds.Skew));
        Assert.False(violation.Schedule.FastClocks);
        Assert.InRange(violation.Schedule.Decisions.Length, 1, 22);
        Assert.Contains("\"clocks\": \"nominal\"", File.ReadAllText(violation.SchedulePath!), StringComparison.Ordinal);
        var loaded = Schedule.Load(violation.SchedulePath!);
        Assert.False(loaded.FastClocks);
        Counterexamples.AssertSameViolation(violation, simulator.Replay(loaded));
    }

    private SimulationOptions Saving(SimulationOptions options) => options with { SaveSchedule = true, ScheduleDirectory = _directory };
}
