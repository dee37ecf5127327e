using Microsoft.Data.Sqlite;
using OrleansNodes.Hosting.Clients;
using OrleansNodes.Hosting.Clusters;
using OrleansNodes.Hosting.Tests.Support;
using OrleansNodes.Hosting.Tests.Tally;

namespace OrleansNodes.Hosting.Tests.Nodes;

/// <summary>A silo goes away and a new one starts on the same SQLite file.</summary>
public sealed class SiloRestartTests
{
    [Fact]
    public async Task SiloRestart_NoTraffic_RemindersBringEveryNodeBackWithItsState()
    {
        var path = TestSilo.NewDatabasePath();
        await using (var first = await TestSilo.StartAsync(path))
        {
            await first.Nodes.CreateClusterAsync(new ClusterSpec("restart", "tally", 3));
            Assert.IsType<RequestOutcome.Replied>(await first.Nodes.OpenSession("restart").SubmitAsync(new Add(11)));
            await Eventually.Reaches(
                () => first.Nodes.StatusAsync("restart"),
                s => s.Nodes.All(n => n.Description.StartsWith("total=11 ", StringComparison.Ordinal)),
                "every node holds total 11");
        }
        var stopped = await StoredVersionsAsync(path);

        await using var second = await TestSilo.StartAsync(path);

        // Nobody calls the nodes: only the durable keep-alive reminder can activate them, and an
        // active node ticks, and a ticking tally node writes.
        await Eventually.Reaches(
            () => StoredVersionsAsync(path),
            etags => etags.Zip(stopped).All(pair => pair.First > pair.Second),
            "every node writes again");
        var read = await second.Node("restart", 2).Request(new ClientId(5), 1, new Read());
        Assert.Equal(11, ((Value)Assert.IsType<RequestOutcome.Replied>(read).Reply).Total);

        SqliteConnection.ClearAllPools();
    }

    private static async Task<long[]> StoredVersionsAsync(string path) =>
        await Task.WhenAll(Enumerable.Range(0, 3).Select(i => StorageTestKit.StoredVersionAsync(path, NodeKey.Format("restart", new NodeId(i)))));
}
