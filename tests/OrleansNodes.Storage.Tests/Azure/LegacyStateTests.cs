using Azure.Storage.Blobs;
using OrleansNodes.Storage.Azure;
using OrleansNodes.TestServers;

namespace OrleansNodes.Storage.Tests.Azure;

/// <summary>
/// <see cref="AzureNodeStore.DescribeLegacyStateAsync"/>: node grain state blobs of the previous
/// format (Orleans' Azure blob grain storage, <c>&lt;state&gt;-&lt;grain type&gt;/&lt;key&gt;.json</c>)
/// are found; the cluster registry's grain state and the new layout are not mistaken for them.
/// </summary>
public sealed class LegacyStateTests(AzureStoreFixture azure) : IClassFixture<AzureStoreFixture>
{
    [AzuriteFact]
    public async Task DescribeLegacyState_NodeGrainStateBlobs_NamesTheContainerAndOneBlob()
    {
        var container = await NewContainerAsync();
        try
        {
            await container.CreateAsync();
            await container.UploadBlobAsync("node-node/kv/0.json", new BinaryData("{}"));
            await container.UploadBlobAsync("node-node/kv/1.json", new BinaryData("{}"));

            var description = await AzureNodeStore.DescribeLegacyStateAsync(container);

            Assert.NotNull(description);
            Assert.Contains(container.Name, description);
            Assert.Contains("2 Orleans grain state blobs such as 'node-node/kv/0.json'", description);
            Assert.DoesNotContain('\n', description);
        }
        finally
        {
            await container.DeleteIfExistsAsync();
        }
    }

    [AzuriteFact]
    public async Task DescribeLegacyState_RegistryStateAndNewLayoutOnly_Null()
    {
        var container = await NewContainerAsync();
        try
        {
            await container.CreateAsync();
            await container.UploadBlobAsync("clusters-clusterregistry/0.json", new BinaryData("{}"));
            var store = new AzureNodeStore(container);
            await store.WriteAsync("kv/0", new(0, [1], [2], null, null, null, []));

            Assert.Null(await AzureNodeStore.DescribeLegacyStateAsync(container));
        }
        finally
        {
            await container.DeleteIfExistsAsync();
        }
    }

    [AzuriteFact]
    public async Task DescribeLegacyState_NoContainer_Null()
    {
        var container = await NewContainerAsync();

        Assert.Null(await AzureNodeStore.DescribeLegacyStateAsync(container));
    }

    private async Task<BlobContainerClient> NewContainerAsync() =>
        (await azure.ServiceAsync()).GetBlobContainerClient($"t{Guid.NewGuid():N}");
}
