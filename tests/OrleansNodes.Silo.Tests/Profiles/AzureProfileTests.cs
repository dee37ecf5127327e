using Azure.Data.Tables;
using Azure.Storage.Blobs;
using OrleansNodes.TestServers;

namespace OrleansNodes.Silo.Tests.Profiles;

/// <summary>
/// One silo process on the azure profile against the Azurite emulator: membership rows in
/// table <c>OrleansSiloInstances</c>, keep-alive reminders in <c>OrleansReminders</c>, node
/// state as blobs in the container named after the service id.
/// </summary>
public sealed class AzureProfileTests(AzuriteServer azurite) : IClassFixture<AzuriteServer>
{
    private const string ConnectionStringVariable = "ORLEANSNODES__AZURESTORAGE__CONNECTIONSTRING";
    private readonly AzuriteServer _azurite = azurite;
    // Unique ids keep runs apart on a shared emulator: membership is partitioned by cluster id,
    // reminders and the node state container by service id.
    private readonly string _clusterId = UniqueId();
    private readonly string _serviceId = UniqueId();

    [AzuriteFact]
    public async Task Put_StoredInTheAccount_ValueReadBackAfterSiloKilledAndRestarted()
    {
        using var silo = NewSilo();
        await silo.StartAsync();
        var put = await KvAsync(silo, "put", "colour", "blue");
        Assert.True(put.ExitCode == 0, put.Output);

        // This silo is the cluster's one active member; each of the three nodes keeps a
        // keep-alive reminder and its state blob.
        var tables = new TableServiceClient(_azurite.ConnectionString);
        var members = tables.GetTableClient("OrleansSiloInstances").QueryAsync<TableEntity>(row => row.PartitionKey == _clusterId);
        var active = await members.Where(row => row.GetString("Status") == "Active").ToListAsync();
        Assert.Equal(silo.SiloPort.ToString(), Assert.Single(active).GetString("Port"));
        var reminders = await tables.GetTableClient("OrleansReminders").QueryAsync<TableEntity>(row => row.GetString("ServiceId") == _serviceId).ToListAsync();
        Assert.Equal(3, reminders.Count(row => row.GetString("ReminderName") == "on.keepalive"));
        var container = new BlobServiceClient(_azurite.ConnectionString).GetBlobContainerClient(_serviceId);
        var blobs = await container.GetBlobsAsync().Select(blob => blob.Name).ToListAsync();
        foreach (var node in new[] { "node/kv/0", "node/kv/1", "node/kv/2" })
            Assert.Contains(blobs, name => name.Contains(node, StringComparison.Ordinal));

        silo.Kill();
        await silo.StartAsync();

        var get = await KvAsync(silo, "get", "colour");
        Assert.True(get.ExitCode == 0, get.Output);
        Assert.Equal("blue", get.Output.Trim());
    }

    [AzuriteFact]
    public async Task Start_KeyRefused_ExitsTwoWithOneLine()
    {
        var wrongKey = _azurite.ConnectionString.Replace("AccountKey=", "AccountKey=AAAA", StringComparison.Ordinal);

        var result = await ProfileErrorTests.RunSiloAsync(["--storage", "azure"], new() { [ConnectionStringVariable] = wrongKey });

        ProfileErrorTests.AssertOneErrorLine(result, exitCode: 2, "refused the credentials");
    }

    private SiloProcess NewSilo() => new(
        ["--storage", "azure", "--cluster-id", _clusterId, "--service-id", _serviceId],
        new Dictionary<string, string> { [ConnectionStringVariable] = _azurite.ConnectionString });

    private Task<ConsoleProcess.Result> KvAsync(SiloProcess silo, params string[] arguments) =>
        ConsoleProcess.RunAsync(["kv", .. arguments, "--gateway", silo.Gateway, "--cluster-id", _clusterId, "--service-id", _serviceId]);

    private static string UniqueId() => $"t{Guid.NewGuid():N}"[..12];
}
