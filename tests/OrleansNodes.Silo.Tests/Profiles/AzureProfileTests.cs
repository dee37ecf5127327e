using Azure.Data.Tables;
using Azure.Storage.Blobs;
using OrleansNodes.TestServers;

namespace OrleansNodes.Silo.Tests.Profiles;

/// <summary>
/// One silo process on the azure profile against the Azurite emulator: membership rows in
/// table <c>OrleansSiloInstances</c>, keep-alive reminders in <c>OrleansReminders</c>, node
/// storage (log segments and snapshots) in the container named after the service id.
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
        // keep-alive reminder and its log segment (docs/operators.md, "Azure Storage").
        var tables = new TableServiceClient(_azurite.ConnectionString);
        var members = tables.GetTableClient("OrleansSiloInstances").QueryAsync<TableEntity>(row => row.PartitionKey == _clusterId);
        var active = await members.Where(row => row.GetString("Status") == "Active").ToListAsync();
        Assert.Equal(silo.SiloPort.ToString(), Assert.Single(active).GetString("Port"));
        var reminders = await tables.GetTableClient("OrleansReminders").QueryAsync<TableEntity>(row => row.GetString("ServiceId") == _serviceId).ToListAsync();
        Assert.Equal(3, reminders.Count(row => row.GetString("ReminderName") == "on.keepalive"));
        var container = new BlobServiceClient(_azurite.ConnectionString).GetBlobContainerClient(_serviceId);
        var blobs = await container.GetBlobsAsync().Select(blob => blob.Name).ToListAsync();
        foreach (var node in new[] { "nodes/kv/0/log-", "nodes/kv/1/log-", "nodes/kv/2/log-" })
            Assert.Contains(blobs, name => name.StartsWith(node, StringComparison.Ordinal));
        Assert.DoesNotContain(blobs, name => name.StartsWith("node-", StringComparison.Ordinal));

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

    [AzuriteFact]
    public async Task Start_ContainerHoldingVersion01NodeRecords_ExitsTwoSayingWhatToDo()
    {
        // OrleansNodes 0.1 kept each node as an Orleans grain-state blob; this version would read
        // those nodes as never started, so the silo must refuse the container.
        var container = new BlobServiceClient(_azurite.ConnectionString).GetBlobContainerClient(_serviceId);
        await container.CreateIfNotExistsAsync();
        await container.UploadBlobAsync("node-node/kv/0.json", BinaryData.FromString("{}"));

        var result = await ProfileErrorTests.RunSiloAsync(
            ["--storage", "azure", "--cluster-id", _clusterId, "--service-id", _serviceId],
            new() { [ConnectionStringVariable] = _azurite.ConnectionString });

        ProfileErrorTests.AssertOneErrorLine(result, exitCode: 2, $"container '{_serviceId}'");
        Assert.Contains("another --service-id", result.Output);
        Assert.True(await container.GetBlobClient("node-node/kv/0.json").ExistsAsync());
    }

    private SiloProcess NewSilo() => new(
        ["--storage", "azure", "--cluster-id", _clusterId, "--service-id", _serviceId],
        new Dictionary<string, string> { [ConnectionStringVariable] = _azurite.ConnectionString });

    private Task<ConsoleProcess.Result> KvAsync(SiloProcess silo, params string[] arguments) =>
        ConsoleProcess.RunAsync(["kv", .. arguments, "--gateway", silo.Gateway, "--cluster-id", _clusterId, "--service-id", _serviceId]);

    private static string UniqueId() => $"t{Guid.NewGuid():N}"[..12];
}
