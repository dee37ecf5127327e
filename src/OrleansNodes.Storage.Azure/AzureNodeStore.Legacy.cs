using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace OrleansNodes.Storage.Azure;

public sealed partial class AzureNodeStore
{
    // Orleans' Azure blob grain storage (Microsoft.Orleans.Persistence.AzureStorage 10.4.2) names a
    // grain's state blob "<state name>-<grain id>.json", the grain id being "<grain type>/<key>".
    // Node grains kept their record as state "node" of grain type "node" (class NodeGrain), keyed
    // "<cluster>/<index>": blobs "node-node/kv/0.json". The cluster registry's state
    // ("clusters-clusterregistry/0.json") is still kept that way and is not matched.
    private const string LegacyPrefix = "node-";
    private const string LegacySuffix = ".json";
    private const int LegacyBlobsCounted = 100;

    /// <summary>
    /// A one-line description of the node state that <paramref name="container"/> holds in the
    /// previous storage format (one Orleans grain state blob per node, rewritten whole by every
    /// batch), or null when it holds none. A silo refuses to start on such a container instead of
    /// reading its nodes as never written.
    /// </summary>
    public static async Task<string?> DescribeLegacyStateAsync(BlobContainerClient container, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(container);
        var count = 0;
        string? example = null;
        try
        {
            await foreach (var page in container.GetBlobsAsync(new GetBlobsOptions { Prefix = LegacyPrefix }, cancellationToken).AsPages(pageSizeHint: LegacyBlobsCounted))
            {
                foreach (var blob in page.Values)
                {
                    if (!blob.Name.EndsWith(LegacySuffix, StringComparison.Ordinal)) continue;
                    example ??= blob.Name;
                    count++;
                }
                break;
            }
        }
        catch (RequestFailedException exception) when (exception.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            return null;
        }
        if (example is null) return null;
        var how = count >= LegacyBlobsCounted ? $"{LegacyBlobsCounted} or more" : count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"blob container '{container.Name}' holds node state in the previous storage format ({how} Orleans grain state blobs such as '{example}'), " +
            $"which this version does not read (it keeps each node as a log under '{NodeBlobs.Root}'): use a new service id, or delete those blobs to start the nodes empty";
    }
}
