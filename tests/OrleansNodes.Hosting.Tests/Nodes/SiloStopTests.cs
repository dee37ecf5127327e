using Microsoft.Data.Sqlite;
using OrleansNodes.Hosting.Clients;
using OrleansNodes.Hosting.Clusters;
using OrleansNodes.Hosting.Tests.Support;
using OrleansNodes.Hosting.Tests.Tally;

namespace OrleansNodes.Hosting.Tests.Nodes;

/// <summary>A silo stops while clients wait on its nodes.</summary>
public sealed class SiloStopTests
{
    [Fact]
    public async Task SiloStops_RequestWaitingOnItsNode_EndsAsUnknownBeforeTheNodeDeactivates()
    {
        // Orleans deactivates a grain only once its running requests end, and a node's waiting
        // request ends only when the node steps on, which a deactivating node does not: the stop
        // waited out Orleans' 30 s deactivation timeout. The silo must end such requests first.
        // Requests here never time out by themselves within the test.
        var silo = await TestSilo.StartAsync(TestSilo.NewDatabasePath(), requestTimeoutTicks: 1_000_000);
        await using (silo)
        {
            await silo.Nodes.CreateClusterAsync(new ClusterSpec("stopping", "tally", 3));
            // The pong never comes back: the ping waits.
            silo.Network.MakeLossy("stopping", dropEvery: 1, holdEvery: int.MaxValue);
            var waiting = silo.Node("stopping", 0).Request(new ClientId(7), 1, new PingPeer(new NodeId(1)));
            await Eventually.Reaches(() => silo.Node("stopping", 0).GetStatus(), s => s.PendingRequests == 1, "the ping waits on n0");

            var stop = silo.Cluster.StopSiloAsync(silo.Cluster.Silos[0]);
            var outcome = await waiting.WaitAsync(TimeSpan.FromMinutes(2));
            await stop.WaitAsync(TimeSpan.FromMinutes(2));

            var unknown = Assert.IsType<RequestOutcome.Unknown>(outcome);
            Assert.Contains("silo is stopping", unknown.Reason, StringComparison.Ordinal);
        }
        SqliteConnection.ClearAllPools();
    }
}
