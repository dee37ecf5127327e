using StackExchange.Redis;

namespace OrleansNodes.Silo;

/// <summary>
/// The one multiplexer the redis profile's three providers share, connected by the probe
/// before Orleans starts. Handed to the providers as shared, so none of them disposes it; it
/// lives as long as the process.
/// </summary>
internal sealed class RedisConnection(ConfigurationOptions configuration) : IStorageProbe
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
            return null;
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
