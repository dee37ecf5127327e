using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using OrleansNodes.Storage.Azure;
using OrleansNodes.TestServers;

namespace OrleansNodes.Storage.Tests.Azure;

/// <summary>
/// The Azurite emulator (the shared one when <c>ORLEANSNODES_TEST_AZURITE</c> is set) and a blob
/// container unique to this fixture, so test classes sharing an emulator never see each other's
/// nodes. Started on first use, so that a class whose tests are all skipped starts nothing; the
/// container is deleted at the end.
/// </summary>
public sealed class AzureStoreFixture : IAsyncLifetime
{
    private readonly AzuriteServer _server = new();
    private readonly SemaphoreSlim _starting = new(1, 1);
    private BlobServiceClient? _service;

    /// <summary>The container every store of this fixture writes to.</summary>
    public string ContainerName { get; } = $"t{Guid.NewGuid():N}";

    /// <summary>The account, for tests that need a container of their own.</summary>
    public async Task<BlobServiceClient> ServiceAsync()
    {
        await _starting.WaitAsync();
        try
        {
            if (_service is null)
            {
                await _server.InitializeAsync();
                _service = new BlobServiceClient(_server.ConnectionString);
            }
            return _service;
        }
        finally
        {
            _starting.Release();
        }
    }

    /// <summary>The fixture's container, as the silo would hand it to the store.</summary>
    public async Task<BlobContainerClient> ContainerAsync() => (await ServiceAsync()).GetBlobContainerClient(ContainerName);

    /// <summary>A store on the fixture's container, with its settings changed by <paramref name="configure"/>.</summary>
    public async Task<AzureNodeStore> StoreAsync(Func<BlobContainerClient, AzureNodeStore>? configure = null)
    {
        var container = await ContainerAsync();
        return configure is null ? new AzureNodeStore(container) : configure(container);
    }

    /// <summary>The names in node <paramref name="key"/>'s folder (without the folder).</summary>
    public async Task<List<string>> LeavesAsync(string key)
    {
        var container = await ContainerAsync();
        var folder = NodeBlobs.Folder(key);
        var leaves = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = folder }))
            leaves.Add(blob.Name[folder.Length..]);
        return leaves;
    }

    /// <summary>The length of segment <paramref name="number"/> of <paramref name="key"/>.</summary>
    public async Task<long> SegmentLengthAsync(string key, long number)
    {
        var container = await ContainerAsync();
        return (await container.GetBlobClient(NodeBlobs.Segment(NodeBlobs.Folder(key), number)).GetPropertiesAsync()).Value.ContentLength;
    }

    /// <summary>Replaces segment <paramref name="number"/> of <paramref name="key"/> with what <paramref name="damage"/> makes of its bytes.</summary>
    public async Task DamageSegmentAsync(string key, long number, Func<byte[], byte[]> damage)
    {
        var container = await ContainerAsync();
        var segment = container.GetAppendBlobClient(NodeBlobs.Segment(NodeBlobs.Folder(key), number));
        var bytes = (await segment.DownloadContentAsync()).Value.Content.ToArray();
        var damaged = damage(bytes);
        await segment.DeleteAsync();
        await segment.CreateAsync(new AppendBlobCreateOptions());
        if (damaged.Length > 0) await segment.AppendBlockAsync(new MemoryStream(damaged));
    }

    /// <inheritdoc/>
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_service is not null) await _service.GetBlobContainerClient(ContainerName).DeleteIfExistsAsync();
        await _server.DisposeAsync();
        _starting.Dispose();
    }
}
