using OrleansNodes.Storage.Redis;
using StackExchange.Redis;

namespace OrleansNodes.Silo;

/// <summary>
/// The one multiplexer the redis profile's providers and node store share, connected by the
/// probe before Orleans starts. Handed to the providers as shared, so none of them disposes it;
/// it lives as long as the process. The probe also refuses a service id whose keys hold node
/// records of OrleansNodes 0.1, which this version would read as nodes never started.
/// </summary>
internal sealed class RedisConnection(ConfigurationOptions configuration, string serviceId) : IStorageProbe
{
    // Bounds the probe: a refused connection fails at once, an unanswered one after the
    // configured connect timeout (5 s by default) and its retries.
    private static readonly TimeSpan ProbeBound = TimeSpan.FromSeconds(30);
    private readonly Lazy<Task<IConnectionMultiplexer>> _multiplexer = new(async () => await ConnectionMultiplexer.ConnectAsync(configuration));

    public ConfigurationOptions Configuration => configuration;

    private string Endpoints => RedisProfile.Describe(configuration.EndPoints);

    /// <summary>The multiplexer in the shape Orleans' Redis options ask for: shared, so the provider leaves it open.</summary>
    public async Task<(IConnectionMultiplexer Multiplexer, bool IsShared)> ForProviderAsync() => (await _multiplexer.Value, true);

    /// <inheritdoc/>
    public async Task<StorageProblem?> FindProblemAsync(CancellationToken cancellationToken)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(ProbeBound);
        try
        {
            var multiplexer = await _multiplexer.Value.WaitAsync(bound.Token);
            await multiplexer.GetDatabase().PingAsync().WaitAsync(bound.Token);
            return await RedisNodeStore.DescribeLegacyStateAsync(multiplexer.GetDatabase(), serviceId).WaitAsync(bound.Token) is { } legacy
                ? StorageProblem.BadSettings(
                    $"Redis at {Endpoints} holds {legacy} under service id '{serviceId}', which this version cannot read; give this deployment " +
                    "another --service-id and keep the old keys until their data is copied (docs/operators.md, \"Upgrading from 0.1\")")
                : null;
        }
        catch (RedisConnectionException exception) when (exception.FailureType == ConnectionFailureType.AuthenticationFailure)
        {
            return StorageProblem.BadSettings($"Redis at {Endpoints} refused the credentials in Redis:ConnectionString ({FirstLine(exception.InnerException?.Message ?? exception.Message)})");
        }
        catch (RedisServerException exception) when (exception.Message.StartsWith("NOAUTH", StringComparison.Ordinal) || exception.Message.StartsWith("WRONGPASS", StringComparison.Ordinal))
        {
            return StorageProblem.BadSettings($"Redis at {Endpoints} refused the credentials in Redis:ConnectionString ({FirstLine(exception.Message)})");
        }
        catch (RedisConnectionException exception)
        {
            var cause = exception.InnerException is { } inner ? FirstLine(inner.Message) : exception.FailureType.ToString();
            return StorageProblem.Unreachable($"cannot reach Redis at {Endpoints} ({cause})");
        }
        catch (RedisException exception)
        {
            return StorageProblem.Unreachable($"cannot reach Redis at {Endpoints} ({FirstLine(exception.Message)})");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return StorageProblem.Unreachable($"cannot reach Redis at {Endpoints} (no answer within {ProbeBound.TotalSeconds:0} s)");
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
