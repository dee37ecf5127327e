using Azure;
using Azure.Identity;
using OrleansNodes.Storage.Azure;

namespace OrleansNodes.Silo;

/// <summary>
/// Asks the account the two questions the providers will ask first: is the membership table
/// there, is the node state container there. Either answer is fine; no answer, or a refused
/// credential, is the problem. Then refuses a container holding node records of OrleansNodes 0.1,
/// which this version would read as nodes never started.
/// </summary>
internal sealed class AzureStorageProbe(AzureProfile.StorageAccount account, string containerName) : IStorageProbe
{
    private static readonly TimeSpan ProbeBound = TimeSpan.FromSeconds(30);

    /// <inheritdoc/>
    public async Task<StorageProblem?> FindProblemAsync(CancellationToken cancellationToken)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(ProbeBound);
        var where = $"{account.Tables.Uri.GetLeftPart(UriPartial.Authority)}, {account.Blobs.Uri.GetLeftPart(UriPartial.Authority)}";
        try
        {
            await foreach (var _ in account.Tables.QueryAsync(table => table.Name == AzureProfile.MembershipTable, maxPerPage: 1, bound.Token))
                break;
            var container = account.Blobs.GetBlobContainerClient(containerName);
            await container.ExistsAsync(bound.Token);
            return await AzureNodeStore.DescribeLegacyStateAsync(container, bound.Token) is { } legacy
                ? StorageProblem.BadSettings(
                    $"container '{containerName}' at {where} holds {legacy}, which this version cannot read; give this deployment another " +
                    "--service-id and keep the old container until its data is copied (docs/operators.md, \"Upgrading from 0.1\")")
                : null;
        }
        catch (RequestFailedException exception) when (exception.Status is 401 or 403)
        {
            return StorageProblem.BadSettings($"Azure Storage at {where} refused the credentials ({exception.ErrorCode ?? exception.Status.ToString()})");
        }
        catch (RequestFailedException exception)
        {
            return StorageProblem.Unreachable($"cannot reach Azure Storage at {where} ({FirstLine(exception.Message)})");
        }
        catch (AggregateException exception)
        {
            // The SDK's retries gave up; the last try says why.
            return StorageProblem.Unreachable($"cannot reach Azure Storage at {where} ({FirstLine(exception.InnerExceptions[^1].Message)})");
        }
        catch (AuthenticationFailedException exception)
        {
            return StorageProblem.Unreachable($"cannot get a token for Azure Storage at {where} ({FirstLine(exception.Message)})");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return StorageProblem.Unreachable($"cannot reach Azure Storage at {where} (no answer within {ProbeBound.TotalSeconds:0} s)");
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
