using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using OrleansNodes.Hosting;
using OrleansNodes.Storage.Azure;

namespace OrleansNodes.Silo;

/// <summary>
/// The azure profile: membership in table <c>OrleansSiloInstances</c> (a partition per cluster
/// id), reminders in table <c>OrleansReminders</c> (partitions start with the service id), and in
/// the blob container named after the service id: node storage under <c>nodes/</c>
/// (<see cref="AzureNodeStore"/>: log segments appended conditionally, snapshot blobs), the node
/// grains' directory under <c>directory/&lt;ClusterId&gt;/</c> (<see cref="AzureNodeDirectory"/>) and the
/// cluster registry's grain state, written with the Orleans serializer and ETag conditions.
/// </summary>
internal static partial class AzureProfile
{
    public const string MembershipTable = "OrleansSiloInstances";
    public const string RemindersTable = "OrleansReminders";

    /// <summary>The node grains' directory (<see cref="AzureNodeDirectory"/>).</summary>
    public const string NodeDirectoryName = "orleansnodes-nodes";

    /// <summary>
    /// The node state container: one per service, so services sharing an account (or tests
    /// sharing an emulator) never read each other's nodes. Orleans' default, <c>grainstate</c>,
    /// would be shared by all of them.
    /// </summary>
    public static string ContainerName(string serviceId) => serviceId.ToLowerInvariant();

    /// <summary>Why the settings cannot describe a storage account, or null.</summary>
    public static StorageProblem? SettingsProblem(HostSettings settings)
    {
        if (!ContainerNamePattern().IsMatch(ContainerName(settings.ServiceId)))
            return StorageProblem.BadSettings(
                $"ServiceId '{settings.ServiceId}' cannot name the azure profile's blob container: use 3 to 63 letters, digits and single hyphens, starting and ending with a letter or digit");
        var azure = settings.AzureStorage;
        if (azure.ConnectionString.Length == 0)
        {
            return AccountNamePattern().IsMatch(azure.AccountName)
                ? null
                : StorageProblem.BadSettings($"AzureStorage:AccountName '{azure.AccountName}' is not a storage account name (3 to 24 lowercase letters and digits)");
        }
        try
        {
            _ = new TableServiceClient(azure.ConnectionString);
            _ = new BlobServiceClient(azure.ConnectionString);
            return null;
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or InvalidOperationException)
        {
            return StorageProblem.BadSettings($"AzureStorage:ConnectionString is malformed: {exception.Message.Split('\n', 2)[0].Trim()}");
        }
    }

    public static void Configure(ISiloBuilder silo, HostSettings settings)
    {
        var account = Account(settings.AzureStorage, ProviderRetries);
        silo.Services.AddSingleton<IStorageProbe>(new AzureStorageProbe(Account(settings.AzureStorage, ProbeRetries), ContainerName(settings.ServiceId)));
        silo.UseAzureStorageClustering(options =>
        {
            options.TableServiceClient = account.Tables;
            options.TableName = MembershipTable;
        });
        silo.AddNodeStore(_ => new AzureNodeStore(account.Blobs.GetBlobContainerClient(ContainerName(settings.ServiceId))));
        silo.AddAzureBlobGrainStorage(NodeHostOptions.StorageName, builder => builder.Configure<Serializer>((options, serializer) =>
        {
            options.BlobServiceClient = account.Blobs;
            options.ContainerName = ContainerName(settings.ServiceId);
            options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }));
        silo.UseAzureTableReminderService(options =>
        {
            options.TableServiceClient = account.Tables;
            options.TableName = RemindersTable;
        });
        // Node grains' directory entries in the container, not in Orleans' default directory,
        // whose entries are partitioned over the silos (RedisProfile says why).
        silo.AddGrainDirectory(NodeDirectoryName, (services, _) => new AzureNodeDirectory(
            account.Blobs.GetBlobContainerClient(ContainerName(settings.ServiceId)), services.GetRequiredService<IOptions<ClusterOptions>>().Value.ClusterId));
        silo.UseNodeDirectory(NodeDirectoryName);
    }

    /// <summary>A table and a blob client for one account.</summary>
    public sealed record StorageAccount(TableServiceClient Tables, BlobServiceClient Blobs);

    // A connection string (the Azurite emulator's included) wins; otherwise the account is reached
    // with a managed identity, so no key needs to exist anywhere.
    private static StorageAccount Account(AzureStorageSettings azure, Action<RetryOptions> retries)
    {
        var tableOptions = new TableClientOptions();
        var blobOptions = new BlobClientOptions();
        retries(tableOptions.Retry);
        retries(blobOptions.Retry);
        if (azure.ConnectionString.Length > 0)
            return new(new TableServiceClient(azure.ConnectionString, tableOptions), new BlobServiceClient(azure.ConnectionString, blobOptions));

        TokenCredential credential = azure.ManagedIdentityClientId.Length > 0
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(azure.ManagedIdentityClientId))
            : new DefaultAzureCredential();
        return new(
            new TableServiceClient(new Uri($"https://{azure.AccountName}.table.core.windows.net"), credential, tableOptions),
            new BlobServiceClient(new Uri($"https://{azure.AccountName}.blob.core.windows.net"), credential, blobOptions));
    }

    // Node state blobs are small: a try that has not finished in 30 s will not (the SDK's default
    // waits 100 s per try), and the node answers "unknown outcome" sooner.
    private static void ProviderRetries(RetryOptions retry) => retry.NetworkTimeout = TimeSpan.FromSeconds(30);

    // The startup probe wants an answer, not patience: one retry, 5 s a try.
    private static void ProbeRetries(RetryOptions retry)
    {
        retry.MaxRetries = 1;
        retry.Delay = TimeSpan.FromMilliseconds(500);
        retry.NetworkTimeout = TimeSpan.FromSeconds(5);
    }

    // https://learn.microsoft.com/rest/api/storageservices/naming-and-referencing-containers--blobs--and-metadata
    [GeneratedRegex("^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex ContainerNamePattern();

    // https://learn.microsoft.com/azure/storage/common/storage-account-overview#storage-account-name
    [GeneratedRegex("^[a-z0-9]{3,24}$")]
    private static partial Regex AccountNamePattern();
}
