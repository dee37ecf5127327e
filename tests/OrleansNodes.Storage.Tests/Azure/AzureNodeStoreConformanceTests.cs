using OrleansNodes.Hosting.Storage;
using OrleansNodes.Storage.Tests.Conformance;
using OrleansNodes.TestServers;

namespace OrleansNodes.Storage.Tests.Azure;

/// <summary>The conformance suite against <see cref="OrleansNodes.Storage.Azure.AzureNodeStore"/> on the Azurite emulator.</summary>
public sealed class AzureNodeStoreConformanceTests(AzureStoreFixture azure) : NodeStoreConformance, IClassFixture<AzureStoreFixture>
{
    [AzuriteTheory, MemberData(nameof(Cases))]
    public Task Conformance(string name) => RunAsync(name);

    protected override async Task<NodeStore> StoreAsync() => await azure.StoreAsync();
}
