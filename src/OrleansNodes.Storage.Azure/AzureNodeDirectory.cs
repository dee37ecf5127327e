using System.Net;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Orleans.GrainDirectory;
using OrleansNodes.Hosting.Placement;

namespace OrleansNodes.Storage.Azure;

/// <summary>
/// A grain directory on Azure Blob Storage, for node grains (<c>SiloBuilderExtensions.UseNodeDirectory</c>):
/// where each node's one activation runs, in a store that does not die with a silo. Orleans'
/// default directory partitions entries over the silos, so until a killed silo is voted dead, the
/// nodes whose entries it held can be neither found nor activated, even those on live silos.
/// </summary>
/// <remarks>
/// <para>One small block blob per grain, <c>directory/&lt;cluster id&gt;/&lt;grain id&gt;</c> in the
/// service's container (so neither two services nor two clusters share entries), holding
/// <c>&lt;activation id&gt; &lt;silo&gt; &lt;membership version&gt;</c>. Every change is conditional on
/// the blob's ETag (or on its absence), which gives Orleans' <see cref="IGrainDirectory"/> contract:
/// registering succeeds when there is no entry, or the entry is the activation the caller
/// replaces; otherwise the current entry is returned. Entries that name dead silos are removed
/// lazily by Orleans' locator, so <see cref="UnregisterSilos"/> does nothing.</para>
/// <para>Lookups are cached by Orleans per silo; a cache miss or a new activation costs one or two
/// requests to the account.</para>
/// </remarks>
public sealed class AzureNodeDirectory(BlobContainerClient container, string clusterId) : IGrainDirectory
{
    // A register that keeps losing races to other writers is racing a directory gone wrong; give up loudly.
    private const int RegisterAttemptsMax = 8;

    private int _containerExists;

    /// <summary>The blob holding <paramref name="grain"/>'s entry.</summary>
    public string BlobNameOf(GrainId grain) => $"directory/{clusterId}/{grain}";

    /// <inheritdoc/>
    public async Task<GrainAddress?> Lookup(GrainId grainId) => (await ReadAsync(grainId)).Address;

    /// <inheritdoc/>
    public Task<GrainAddress?> Register(GrainAddress address) => Register(address, null);

    /// <inheritdoc/>
    public async Task<GrainAddress?> Register(GrainAddress address, GrainAddress? previousAddress)
    {
        var blob = container.GetBlobClient(BlobNameOf(address.GrainId));
        var value = BinaryData.FromString(NodeDirectoryEntry.Format(address));
        for (var attempt = 0; attempt < RegisterAttemptsMax; attempt++)
        {
            var (current, etag) = await ReadAsync(address.GrainId);
            if (current is not null && current.ActivationId != previousAddress?.ActivationId) return current;
            var condition = current is null ? new BlobRequestConditions { IfNoneMatch = ETag.All } : new BlobRequestConditions { IfMatch = etag };
            try
            {
                await RunAsync(() => blob.UploadAsync(value, new BlobUploadOptions { Conditions = condition }), address.GrainId, "register");
                return address;
            }
            catch (OrleansException exception) when (exception.InnerException is RequestFailedException { Status: (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed })
            {
                // Another activation registered or replaced the entry meanwhile: read it again.
            }
        }
        throw new OrleansException($"the node directory could not register {address.GrainId}: the entry kept changing");
    }

    /// <inheritdoc/>
    public async Task Unregister(GrainAddress address)
    {
        var (current, etag) = await ReadAsync(address.GrainId);
        if (current is null || current.ActivationId != address.ActivationId) return;
        try
        {
            await RunAsync(
                () => container.GetBlobClient(BlobNameOf(address.GrainId)).DeleteIfExistsAsync(conditions: new BlobRequestConditions { IfMatch = etag }),
                address.GrainId,
                "unregister");
        }
        catch (OrleansException exception) when (exception.InnerException is RequestFailedException { Status: (int)HttpStatusCode.PreconditionFailed })
        {
            // Replaced meanwhile by another activation: its entry stays.
        }
    }

    /// <inheritdoc/>
    public Task UnregisterSilos(List<SiloAddress> siloAddresses) => Task.CompletedTask;

    private async Task<(GrainAddress? Address, ETag ETag)> ReadAsync(GrainId grain)
    {
        try
        {
            var content = await RunAsync(() => container.GetBlobClient(BlobNameOf(grain)).DownloadContentAsync(), grain, "look up");
            return (NodeDirectoryEntry.Parse(grain, content.Value.Content.ToString()), content.Value.Details.ETag);
        }
        catch (OrleansException exception) when (exception.InnerException is RequestFailedException { Status: (int)HttpStatusCode.NotFound })
        {
            return (null, default);
        }
    }

    // Storage failures reach Orleans as OrleansException (the cause inside), which its locator
    // and callers treat as a directory that could not answer.
    private async Task<T> RunAsync<T>(Func<Task<T>> operation, GrainId grain, string what)
    {
        if (Volatile.Read(ref _containerExists) == 0)
        {
            await Wrap(() => container.CreateIfNotExistsAsync(), grain, what);
            Volatile.Write(ref _containerExists, 1);
        }
        return await Wrap(operation, grain, what);
    }

    private static async Task<T> Wrap<T>(Func<Task<T>> operation, GrainId grain, string what)
    {
        try
        {
            return await operation();
        }
        catch (RequestFailedException exception)
        {
            throw new OrleansException($"the node directory could not {what} {grain}: {exception.Message.Split('\n', 2)[0].Trim()}", exception);
        }
    }
}
