using Orleans.GrainDirectory;
using Orleans.Runtime;
using OrleansNodes.Storage.Azure;
using OrleansNodes.Storage.Tests.Conformance;
using OrleansNodes.TestServers;

namespace OrleansNodes.Storage.Tests.Azure;

/// <summary>
/// The node directory contract against <see cref="AzureNodeDirectory"/> on Azurite. A service is a
/// container (as in the azure profile), so each case's services get containers of their own.
/// </summary>
public sealed class AzureNodeDirectoryTests(AzureStoreFixture azure) : NodeDirectoryConformance, IClassFixture<AzureStoreFixture>
{
    [AzuriteTheory, MemberData(nameof(Cases))]
    public Task Contract(string name) => RunAsync(name);

    [AzuriteFact]
    public async Task Lookup_EntryDamaged_OrleansExceptionNamingTheGrain()
    {
        var container = (await azure.ServiceAsync()).GetBlobContainerClient(NewService());
        var directory = new AzureNodeDirectory(container, "c");
        await directory.Register(Address(SiloA), null);
        await container.GetBlobClient(directory.BlobNameOf(Node)).UploadAsync(BinaryData.FromString("not an entry"), overwrite: true);

        var exception = await Assert.ThrowsAsync<OrleansException>(() => directory.Lookup(Node));

        Assert.Contains(Node.ToString(), exception.Message);
    }

    protected override IGrainDirectory Directory(string service, string cluster) =>
        new AzureNodeDirectory(azure.ServiceAsync().GetAwaiter().GetResult().GetBlobContainerClient(service), cluster);
}
