using OrleansNodes.Protocols.KeyValue;
using OrleansNodes.Protocols.Paxos;
using OrleansNodes.Protocols.Tests.Mutants;
using OrleansNodes.Protocols.Tests.Mutants.KeyValue;
using OrleansNodes.Simulation;
using OrleansNodes.Simulation.Exploration;
using OrleansNodes.Workloads;
using Xunit.Abstractions;

namespace OrleansNodes.Protocols.Tests.Exploration;

public class ExplorerMutantProbe(ITestOutputHelper output)
{
    public static readonly PaxosSettings PaxosExplore = new(ProposeOnStart: false, RetryTicksMin: 1, RetryTicksMax: 2);
    public static readonly KeyValueSettings KvExplore = KeyValueSettings.SmallWindows with { ElectionTimeoutTicksMin = 1, ElectionTimeoutTicksMax = 2, HeartbeatIntervalTicks = 1 };

    [Theory]
    [InlineData("ForgetfulAcceptor", 2, 0, 1, 0)]
    [InlineData("ProposerIgnoresPromisedVotes", 2, 0, 0, 0)]
    [InlineData("LearnerMixesBallots", 2, 0, 0, 0)]
    [InlineData("ProposerIgnoresPromisedVotes", 3, 1, 0, 0)]
    public void Probe_Paxos(string name, int clients, int ticks, int crashes, int drops)
    {
        var mutant = MutantHunt.Case(name).Mutant;
        var report = Simulator.Create(mutant, PaxosExplore).WithExplorationClients(ExplorationScripts.Paxos)
            .Explore(new ExplorationOptions { Clients = clients, TicksPerNode = ticks, MaxCrashes = crashes, MaxDrops = drops, MaxDepth = 40, Threads = 2, MaxStates = 3_000_000 });
        output.WriteLine($"{name}: {report.UniqueStates:N0} unique in {report.Elapsed.TotalSeconds:F1} s, depth {report.Depth}, violation {report.Violation?.Property} after {report.Violation?.Actions} actions: {report.Violation?.Message}");
        if (report.Violation is { } v) output.WriteLine(string.Join(" | ", v.Decisions));
    }

    [Theory]
    [InlineData("LeaderReadsLocally", 2, 2, 3, 0)]
    [InlineData("ApplyOutOfOrder", 2, 2, 3, 0)]
    [InlineData("NoDeduplication", 2, 2, 3, 1)]
    public void Probe_KeyValue(string name, int clients, int ops, int ticks, int dups)
    {
        var mutant = KeyValueMutantHunt.Case(name).Mutant;
        var report = Simulator.Create(mutant, KvExplore).WithExplorationClients(ExplorationScripts.KeyValue)
            .Explore(new ExplorationOptions { Clients = clients, OperationsPerClient = ops, TicksPerNode = ticks, MaxDuplicates = dups, MaxDepth = 60, Threads = 2, MaxStates = 3_000_000, Order = SearchOrder.DepthFirst });
        output.WriteLine($"{name}: {report.UniqueStates:N0} unique in {report.Elapsed.TotalSeconds:F1} s, depth {report.Depth}, violation {report.Violation?.Property} after {report.Violation?.Actions} actions: {report.Violation?.Message}");
        if (report.Violation is { } v) output.WriteLine(string.Join(" | ", v.Decisions));
    }
}
