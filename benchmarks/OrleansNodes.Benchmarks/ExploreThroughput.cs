using OrleansNodes.Protocols.Paxos;
using OrleansNodes.Simulation;
using OrleansNodes.Simulation.Exploration;
using OrleansNodes.Workloads;

namespace OrleansNodes.Benchmarks;

/// <summary>
/// The explorer's speed on the model Stateright's <c>paxos check 3</c> explores: single-decree
/// Paxos, 3 nodes, 3 clients each proposing once, an unordered network that neither loses nor
/// duplicates, no timers. One thread is the baseline for two.
/// </summary>
internal static class ExploreThroughput
{
    public static IEnumerable<string> Run()
    {
        var paxos = Simulator.Create(new SingleDecreePaxos(), PaxosSettings.Default with { ProposeOnStart = false })
            .WithExplorationClients(ExplorationScripts.Paxos);
        var options = new ExplorationOptions { Nodes = 3, Clients = int.Parse(Environment.GetEnvironmentVariable("EXPLORE_CLIENTS") ?? "3"), MaxDepth = 200, TicksPerNode = 0, MaxStates = long.Parse(Environment.GetEnvironmentVariable("EXPLORE_MAX") ?? "50000000") };
        foreach (var threads in new[] { 1, 2, 1, 2 })
        {
            GC.Collect();
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var collections = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2);
            var gen2 = GC.CollectionCount(2);
            var report = paxos.Explore(options with { Threads = threads }, new Progress<ExplorationProgress>(p => Console.Error.WriteLine($"  {p.Unique:N0} unique {p.Generated:N0} gen depth {p.Depth} queue {p.Queue:N0} {p.UniquePerSecond:N0}/s {p.MemoryBytes / 1e6:N0} MB")));
            yield return $"explore paxos 3 nodes 3 clients, {threads} thread(s): {report.UniqueStates:N0} unique of {report.GeneratedStates:N0} generated in {report.Elapsed.TotalSeconds:F2} s = {report.UniquePerSecond:N0} unique/s | depth {report.Depth} | visited set {report.VisitedBytes / 1e6:N1} MB ({(double)report.VisitedBytes / report.UniqueStates:F1} B/state) | peak working set {report.PeakBytes / 1e6:N0} MB | {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)report.GeneratedStates:N0} B allocated per transition, {GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2) - collections} GCs ({GC.CollectionCount(2) - gen2} gen2) | {(report.Violation is null ? "no violation" : "VIOLATION " + report.Violation.Property)}";
        }
    }
}
